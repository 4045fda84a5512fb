/** The built-in scenario kinds: importing this module registers them. Add new kinds here. */
import './serving.js';
import './knative.js';
