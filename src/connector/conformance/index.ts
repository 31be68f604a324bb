export {
  checkConnectorConformance,
  runConnectorConformance,
  runConformanceCheck,
  selectConformanceChecks,
  formatConformanceReport,
  DEFAULT_CHECK_TIMEOUT_MS,
} from './run-conformance.js';
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
} from './run-conformance.js';
export { CONFORMANCE_CHECKS, conformanceCheckId } from './checks.js';
export type { ConformanceCheck, ConformanceContext, ConnectorCapabilityFlag, WaitForEventOptions } from './checks.js';
export { ConformanceFailure, ConformanceSkip } from './assert.js';
