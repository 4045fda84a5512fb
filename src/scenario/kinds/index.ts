/** The built-in scenario kinds: importing this module registers them. Add new kinds here. */
import './serving.js';
import './knative.js';
import './study1-burst-replay.js';
import './openfaas.js';
