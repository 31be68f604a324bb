export { DemoTelephony, DEMO_DEVICES, realTimers, type DemoTelephonyOptions, type DemoTimers } from './demo-telephony.js';
export { estimateMos } from './quality.js';
