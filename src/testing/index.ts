/**
 * `cc-workspace/testing`: tools for connector authors. Run the conformance suite against your own connector
 * to learn whether the desk can rely on it (see docs/connector-guide.md).
 */
export {
  runConnectorConformance,
  checkConnectorConformance,
  formatConformanceReport,
  CONFORMANCE_CHECKS,
  DEFAULT_CHECK_TIMEOUT_MS,
} from '../connector/conformance/index.js';
export type {
  ConnectorFactory,
  ConformanceOptions,
  RunConformanceOptions,
  ConformanceReport,
  ConformanceCheckResult,
  ConformanceStatus,
  ConformanceTotals,
  ConformanceDescribe,
  ConformanceIt,
  ConformanceCheck,
  ConformanceContext,
} from '../connector/conformance/index.js';
