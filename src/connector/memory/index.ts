/** The in-memory backend: the MemoryConnector, its JSON seed format, the demo data and the traffic simulator. */
export { MemoryConnector, MEMORY_STREAMS } from './memory-connector.js';
export type { MemoryConnectorOptions, MemoryStream } from './memory-connector.js';
export { validateSeed, parseSeedTime, SeedError, CHANNEL_POLICIES, DEFAULT_CAPACITY } from './seed.js';
export type {
  Seed,
  ResolvedSeed,
  ResolvedSeedAgent,
  SeedTime,
  SeedAgent,
  SeedOtherAgent,
  SeedCapacity,
  SeedQueue,
  SeedCustomer,
  SeedIdentity,
  SeedConversation,
  SeedMessage,
  SeedAttachment,
  SeedEmail,
  SeedCall,
  SeedTicket,
  SeedTicketComment,
  SeedArticle,
  ChannelPolicy,
  ValidateSeedOptions,
} from './seed.js';
export { createDemoSeed } from './demo-seed.js';
export { TrafficSimulator, createSeededRandom } from './traffic-simulator.js';
export type { TrafficOptions, TrafficKind, TrafficStep, TrafficTarget, NewConversationDraft } from './traffic-simulator.js';
