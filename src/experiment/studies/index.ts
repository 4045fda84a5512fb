/**
 * Reproduction studies register their scenario kinds on import (they sit in experiment/
 * because they use cluster/ and platform/ models and report checks). Importing this module
 * registers all of them; the CLI and the library index import it. Add new studies here.
 */
import './model-upload.js';
import './pipeline-overhead.js';
import '../../backend/compare/compare-kind.js';
import './serving-platforms.js';
import './monitoring-iris.js';
import './drift-retrain.js';
import './drl-workflow.js';
import './drl-experiment.js';
import './workflow-granularity.js';
import './workflow-interference.js';
import './workflow-heterogeneity.js';
import './workflow-queue-workers.js';
