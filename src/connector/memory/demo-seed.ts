/**
 * Demo data: Kestrel Electronics (红隼电子), a consumer-electronics retailer whose contact center serves
 * customers in English and Simplified Chinese over phone, web chat, email, SMS, WeChat and Douyin.
 *
 * Everything is deterministic and written with relative timestamps ("-3h"), so the data looks fresh
 * whenever it loads: SLA countdowns tick, a WeChat reply window has just closed, an email is overdue.
 * `firstResponseDueAt` and `replyWindowEndsAt` are left to the seed's channel policies.
 */
import type {
  Seed,
  SeedArticle,
  SeedAttachment,
  SeedCall,
  SeedCannedReply,
  SeedConversation,
  SeedCustomer,
  SeedEmail,
  SeedIdentity,
  SeedMessage,
  SeedTicket,
} from './seed.js';
import type { Channel, ConversationStatus, Priority } from '../model.js';

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A relative seed timestamp for "this many seconds ago", in the largest unit that divides it exactly. */
function ago(seconds: number): string {
  if (seconds === 0) return 'now';
  if (seconds % DAY === 0) return `-${seconds / DAY}d`;
  if (seconds % HOUR === 0) return `-${seconds / HOUR}h`;
  if (seconds % MINUTE === 0) return `-${seconds / MINUTE}m`;
  return `-${seconds}s`;
}

const SUPPORT_ADDRESS = 'support@kestrel.example';
const AGENT_ID = 'agent-chen';
const AGENT_NAME = 'Chen Lin';

const AGENT_NAMES: Readonly<Record<string, string>> = {
  'agent-chen': AGENT_NAME,
  'agent-marcus': 'Marcus Reid',
  'agent-yuki': 'Yuki Tanaka',
  'agent-liu': '刘洋',
  'agent-priya': 'Priya Nair',
  'agent-zhou': '周婷',
};

// ---------------------------------------------------------------------------------------------------------
// Customers

interface CustomerSpec {
  readonly id: string;
  readonly name: string;
  readonly zh: boolean;
  readonly vip: number;
  readonly tags: readonly string[];
  readonly ids: Partial<Record<SeedIdentity['kind'], string>>;
  readonly notes?: string;
  readonly since: number;
}

const CUSTOMER_SPECS: readonly CustomerSpec[] = [
  { id: 'c-001', name: '王小明', zh: true, vip: 2, tags: ['K20 Pro', '复购客户'], since: 900, ids: { phone: '+86 138 0013 8001', email: 'xiaoming.wang@example.cn', wechat: 'wxid_xm_wang', member: 'M-200145' }, notes: '偏好微信联系，工作日晚上方便接电话。' },
  { id: 'c-002', name: '王晓明', zh: true, vip: 0, tags: [], since: 40, ids: { phone: '13800138001', douyin: 'dy_xiaoming_w' } },
  { id: 'c-003', name: 'Emily Carter', zh: false, vip: 1, tags: ['NovaBook 14'], since: 420, ids: { phone: '+1 415 555 0101', email: 'emily.carter@example.com', member: 'M-200311', webchat: 'v-7f3a21' } },
  { id: 'c-004', name: 'Jon Smith', zh: false, vip: 0, tags: [], since: 200, ids: { email: 'john.smith@example.com', phone: '+1 415 555 0102' } },
  { id: 'c-005', name: 'John Smith', zh: false, vip: 1, tags: ['business account'], since: 610, ids: { email: 'John.Smith@example.com', member: 'M-200412', webchat: 'v-2b81d0' } },
  { id: 'c-006', name: '李娜', zh: true, vip: 3, tags: ['VIP', '企业客户', '华东区'], since: 1400, ids: { phone: '+86 139 1000 2002', email: 'li.na@example.cn', wechat: 'wxid_lina88', douyin: 'dy_lina_tech', member: 'M-100002' }, notes: '企业采购负责人（上海某设计公司），发票需开具增值税专用发票。' },
  { id: 'c-007', name: '张伟', zh: true, vip: 0, tags: ['直播间用户'], since: 12, ids: { phone: '+86 137 2000 3003', douyin: 'dy_zw2024' } },
  { id: 'c-008', name: '陈静', zh: true, vip: 1, tags: ['AirBeat 2'], since: 330, ids: { phone: '+86 136 2100 4004', wechat: 'wxid_chenjing_sh', member: 'M-200518' } },
  { id: 'c-009', name: 'Michael Brown', zh: false, vip: 0, tags: [], since: 3, ids: { webchat: 'v-1c9e02', email: 'm.brown@example.org' } },
  { id: 'c-010', name: 'Sophie Martin', zh: false, vip: 2, tags: ['Tab 11', 'reviewer'], since: 760, ids: { email: 'sophie.martin@example.org', phone: '+44 7700 900105', member: 'M-200620' }, notes: 'Writes reviews for a tech blog; prefers email.' },
  { id: 'c-011', name: '赵磊', zh: true, vip: 0, tags: [], since: 95, ids: { phone: '+86 135 3000 5005' } },
  { id: 'c-012', name: '孙丽', zh: true, vip: 1, tags: ['会员'], since: 510, ids: { wechat: 'wxid_sunli_0712', douyin: 'dy_sunli', member: 'M-200733' } },
  { id: 'c-013', name: 'David Lee', zh: false, vip: 0, tags: [], since: 60, ids: { phone: '+1 415 555 0113', email: 'david.lee@example.com' } },
  { id: 'c-014', name: 'Hannah Okafor', zh: false, vip: 0, tags: ['Watch S3'], since: 150, ids: { email: 'h.okafor@example.com', webchat: 'v-5d2e77' } },
  { id: 'c-015', name: 'Anna Müller', zh: false, vip: 1, tags: ['warranty'], since: 380, ids: { email: 'anna.mueller@example.de', phone: '+49 30 901820 15' } },
  { id: 'c-016', name: 'Anna Mueller', zh: false, vip: 0, tags: [], since: 9, ids: { phone: '+49 3090182015', webchat: 'v-93ac4f' } },
  { id: 'c-017', name: 'Olivia Chen', zh: false, vip: 1, tags: ['payment issue'], since: 270, ids: { email: 'olivia.chen@example.com', phone: '+1 415 555 0117', webchat: 'v-0aa3c9' } },
  { id: 'c-018', name: '周杰', zh: true, vip: 0, tags: [], since: 180, ids: { phone: '+86 131 4000 6006', member: 'M-200801' } },
  { id: 'c-019', name: 'Ravi Kumar', zh: false, vip: 0, tags: ['NovaBook 14'], since: 45, ids: { email: 'ravi.kumar@example.net', phone: '+1 415 555 0119' } },
  { id: 'c-020', name: '黄敏', zh: true, vip: 1, tags: [], since: 700, ids: { phone: '+86 150 5000 7007', email: 'huangmin@example.cn' } },
  { id: 'c-021', name: '黄敏', zh: true, vip: 0, tags: [], since: 20, ids: { wechat: 'wxid_hm_1990', phone: '+86 151 5000 7017' } },
  { id: 'c-022', name: '吴芳', zh: true, vip: 2, tags: ['价格保护'], since: 820, ids: { wechat: 'wxid_wufang', phone: '+86 152 6000 8008', member: 'M-200999' } },
  { id: 'c-023', name: 'James Wilson', zh: false, vip: 1, tags: ['member'], since: 990, ids: { webchat: 'v-4e61b8', member: 'M-201044', email: 'james.wilson@example.com' } },
  { id: 'c-024', name: '郑强', zh: true, vip: 0, tags: ['HomeCam 2K'], since: 130, ids: { phone: '+86 153 7000 9009', wechat: 'wxid_zq_home' } },
  { id: 'c-025', name: 'Grace Kim', zh: false, vip: 0, tags: [], since: 220, ids: { email: 'grace.kim@example.com', phone: '+1 415 555 0125' } },
  { id: 'c-026', name: '马超', zh: true, vip: 0, tags: ['直播间用户'], since: 7, ids: { douyin: 'dy_machao_88' } },
  { id: 'c-027', name: 'Lucas Rossi', zh: false, vip: 1, tags: ['business account'], since: 540, ids: { email: 'lucas.rossi@example.it', phone: '+39 06 1234 0127' } },
  { id: 'c-028', name: '林芳', zh: true, vip: 0, tags: [], since: 75, ids: { wechat: 'wxid_linfang_bj', phone: '+86 155 8000 1010' } },
  { id: 'c-029', name: 'Noah Williams', zh: false, vip: 0, tags: [], since: 33, ids: { phone: '+1 415 555 0129' } },
  { id: 'c-030', name: '何静怡', zh: true, vip: 1, tags: ['Watch S3'], since: 460, ids: { wechat: 'wxid_hejy', email: 'he.jingyi@example.cn', member: 'M-201150' } },
  { id: 'c-031', name: 'Chloe Dubois', zh: false, vip: 0, tags: [], since: 160, ids: { email: 'chloe.dubois@example.fr', webchat: 'v-6c0f11' } },
  { id: 'c-032', name: '高远', zh: true, vip: 0, tags: [], since: 250, ids: { phone: '+86 156 9000 1111', douyin: 'dy_gaoyuan' } },
  { id: 'c-033', name: 'Ethan Park', zh: false, vip: 2, tags: ['early adopter', 'K20 Pro'], since: 1100, ids: { email: 'ethan.park@example.com', phone: '+1 415 555 0133', member: 'M-100377' } },
  { id: 'c-034', name: '徐丽华', zh: true, vip: 0, tags: [], since: 300, ids: { phone: '+86 157 1000 1212', wechat: 'wxid_xulihua' } },
  { id: 'c-035', name: 'Isabella Garcia', zh: false, vip: 0, tags: [], since: 80, ids: { webchat: 'v-8b3d45', email: 'isabella.garcia@example.es' } },
  { id: 'c-036', name: '杨帆', zh: true, vip: 3, tags: ['VIP', 'HomeCam 2K', 'NovaBook 14'], since: 1600, ids: { phone: '+86 158 2000 1313', wechat: 'wxid_yangfan_vip', email: 'yangfan@example.cn', member: 'M-100011' }, notes: '钻石会员，专属客服优先接待。' },
  { id: 'c-037', name: 'Oliver Thompson', zh: false, vip: 0, tags: [], since: 140, ids: { phone: '+44 7700 900137', email: 'oliver.t@example.co.uk' } },
  { id: 'c-038', name: '罗敏', zh: true, vip: 0, tags: [], since: 55, ids: { douyin: 'dy_luomin', phone: '+86 159 3000 1414' } },
  { id: 'c-039', name: 'Mia Johnson', zh: false, vip: 1, tags: ['Tab 11'], since: 390, ids: { email: 'mia.johnson@example.com', webchat: 'v-c1e590', member: 'M-201288' } },
  { id: 'c-040', name: '曹宇', zh: true, vip: 0, tags: [], since: 210, ids: { phone: '+86 186 4000 1515', wechat: 'wxid_caoyu' } },
];

const IDENTITY_ORDER: readonly SeedIdentity['kind'][] = ['phone', 'email', 'wechat', 'douyin', 'member', 'webchat'];

function buildCustomer(spec: CustomerSpec): SeedCustomer {
  const identities = IDENTITY_ORDER.flatMap((kind) => {
    const value = spec.ids[kind];
    return value === undefined ? [] : [{ kind, value }];
  });
  return {
    id: spec.id,
    name: spec.name,
    identities,
    vipLevel: spec.vip,
    tags: [...spec.tags],
    notes: spec.notes ?? '',
    locale: spec.zh ? 'zh-CN' : 'en',
    createdAt: ago(spec.since * DAY),
  };
}

const customerById = new Map(CUSTOMER_SPECS.map((spec) => [spec.id, spec]));

function customerSpec(id: string): CustomerSpec {
  const spec = customerById.get(id);
  if (!spec) throw new Error(`The demo seed refers to an unknown customer ${id}.`);
  return spec;
}

// ---------------------------------------------------------------------------------------------------------
// Conversations, written as threads of lines

type Direction = 'in' | 'out' | 'note' | 'sys';

interface LineExtra {
  readonly attachments?: readonly SeedAttachment[];
  readonly email?: SeedEmail;
  readonly call?: SeedCall;
  readonly author?: string;
  readonly delivery?: SeedMessage['delivery'];
}

/** One message: who, how many seconds ago, what. */
type Line = readonly [Direction, number, string, LineExtra?];

interface Thread {
  readonly id: string;
  readonly customerId: string;
  readonly channel: Channel;
  readonly status: ConversationStatus;
  readonly assigneeId?: string | null;
  readonly queueId?: string | null;
  readonly priority?: Priority;
  readonly subject?: string;
  readonly lines: readonly Line[];
}

const DIRECTIONS: Readonly<Record<Direction, SeedMessage['direction']>> = { in: 'inbound', out: 'outbound', note: 'internal', sys: 'system' };

function file(name: string, size: number): SeedAttachment {
  return { name, size, url: `https://files.kestrel.example/attachments/${encodeURIComponent(name)}` };
}

function call(durationSeconds: number, disposition: string, id: string, transcript: string | null = null, direction: 'inbound' | 'outbound' = 'inbound'): SeedCall {
  return {
    durationSeconds,
    disposition,
    recordingUrl: durationSeconds > 0 ? `https://recordings.kestrel.example/calls/${id}.mp3` : null,
    transcript,
    direction,
  };
}

function inboundMail(customerId: string, subject: string, html: string, cc: readonly string[] = []): SeedEmail {
  const address = customerSpec(customerId).ids.email ?? '';
  return { subject, from: address, to: [SUPPORT_ADDRESS], cc: [...cc], html };
}

function outboundMail(customerId: string, subject: string, html: string): SeedEmail {
  const address = customerSpec(customerId).ids.email ?? '';
  return { subject: subject.startsWith('Re:') ? subject : `Re: ${subject}`, from: SUPPORT_ADDRESS, to: [address], cc: [], html };
}

const paragraphs = (text: string): string =>
  text
    .split('\n')
    .map((line) => `<p>${line}</p>`)
    .join('');

const THREADS: readonly Thread[] = [
  // 王小明: a K20 Pro that stopped charging, from a phone call to WeChat to an email about the repair.
  {
    id: 'conv-1001', customerId: 'c-001', channel: 'phone', status: 'resolved', assigneeId: 'agent-liu', queueId: 'q-tech', subject: 'K20 Pro 无法充电',
    lines: [
      ['in', 3 * DAY + 2 * HOUR, '来电：K20 Pro 无法充电，已指导清洁充电口并重启。', {
        author: '王小明',
        call: call(372, '已提供排障指导', 'conv-1001', '客户：你好，我的K20 Pro昨天开始充不进电了。\n客服：请问您换过充电线和充电头吗？\n客户：换过，还是不行。\n客服：请用软毛刷轻轻清洁一下充电口，然后长按电源键和音量下键十秒强制重启。\n客户：好的，我试一下，不行再联系你们。'),
      }],
      ['note', 3 * DAY + 2 * HOUR - 5 * MINUTE, '已发送《手机无法充电排查》文章，如仍无法充电建议走保修。', { author: '刘洋' }],
    ],
  },
  {
    id: 'conv-1002', customerId: 'c-001', channel: 'wechat', status: 'resolved', assigneeId: AGENT_ID, queueId: 'q-social', subject: '充电口问题',
    lines: [
      ['in', 2 * DAY + 5 * HOUR, '你好，前天打过电话，按你们说的清洁和重启了，还是充不进电。'],
      ['out', 2 * DAY + 5 * HOUR - 3 * MINUTE, '王先生您好，很抱歉给您带来不便。方便拍一张充电口的照片给我吗？'],
      ['in', 2 * DAY + 5 * HOUR - 8 * MINUTE, '拍好了，你看看。', { attachments: [file('充电口照片.jpg', 482113)] }],
      ['out', 2 * DAY + 5 * HOUR - 12 * MINUTE, '照片里充电口有明显氧化，属于保修范围。我已为您创建返修单 T-1001，顺丰会在明天上门取件，维修周期约5–7个工作日。'],
      ['in', 2 * DAY + 5 * HOUR - 14 * MINUTE, '好的，谢谢！'],
      ['sys', 2 * DAY + 5 * HOUR - 20 * MINUTE, '会话已由 Chen Lin 解决。'],
    ],
  },
  {
    id: 'conv-1003', customerId: 'c-001', channel: 'email', status: 'open', assigneeId: AGENT_ID, queueId: 'q-tech', priority: 'high',
    lines: [
      ['in', 3 * HOUR, '你好，我的手机（返修单 T-1001）已经寄出三天了，想问一下维修进度。另外维修期间能否提供备用机？', {
        email: inboundMail('c-001', '维修进度查询 – 返修单 T-1001', paragraphs('你好，\n我的手机（返修单 T-1001）已经寄出三天了，想问一下维修进度。\n另外维修期间能否提供备用机？\n谢谢！王小明')),
      }],
    ],
  },

  // Emily Carter: a NovaBook 14 order that is late, over web chat, email and a phone call.
  {
    id: 'conv-1004', customerId: 'c-003', channel: 'webchat', status: 'resolved', assigneeId: 'agent-marcus', queueId: 'q-orders', subject: 'Order not shipped yet',
    lines: [
      ['in', 5 * DAY + 3 * HOUR, 'Hi, I ordered a NovaBook 14 four days ago (KS-58210394) and it still says "processing".'],
      ['out', 5 * DAY + 3 * HOUR - 2 * MINUTE, 'Hi Emily, thanks for your patience. The 32 GB model was back-ordered; your laptop leaves our Suzhou warehouse tomorrow.', { author: 'Marcus Reid' }],
      ['in', 5 * DAY + 3 * HOUR - 4 * MINUTE, 'OK, please send me the tracking number when it ships.'],
      ['out', 5 * DAY + 3 * HOUR - 5 * MINUTE, 'Will do, you will get an email with tracking as soon as the parcel is scanned.', { author: 'Marcus Reid' }],
    ],
  },
  {
    id: 'conv-1005', customerId: 'c-003', channel: 'email', status: 'pending', assigneeId: AGENT_ID, queueId: 'q-orders',
    lines: [
      ['in', 26 * HOUR, 'The tracking page has not moved for three days. I need this laptop for work on Monday.', {
        email: inboundMail('c-003', 'Still no delivery – order KS-58210394', paragraphs('Hello,\nThe tracking page for order KS-58210394 has not moved for three days (last scan: Shanghai hub).\nI need this laptop for work on Monday. Can you check with the courier?\nThanks,\nEmily'), ['e.carter.work@example.com']),
      }],
      ['out', 23 * HOUR, 'I have opened an investigation with the courier and will update you within 24 hours.', {
        email: outboundMail('c-003', 'Still no delivery – order KS-58210394', paragraphs('Hi Emily,\nI am sorry about the delay. I have opened an investigation with SF Express (case SF-88120) and will update you within 24 hours.\nIf the parcel is lost we will send a replacement by express at no cost.\nBest regards,\nChen Lin, Kestrel Electronics')),
      }],
    ],
  },
  {
    id: 'conv-1006', customerId: 'c-003', channel: 'phone', status: 'open', assigneeId: AGENT_ID, queueId: 'q-orders',
    lines: [
      ['in', 40 * MINUTE, 'Inbound call: customer asked for an update on the delayed NovaBook and requested a call back.', {
        call: call(184, 'Callback requested', 'conv-1006', 'Customer: Hi, I am calling about my laptop order again.\nAgent: I can see the courier investigation is still open.\nCustomer: If it is not here by Friday I would like a refund instead.\nAgent: Understood, I will call you back this afternoon with an answer.'),
      }],
      ['note', 38 * MINUTE, 'Customer wants a full refund if the laptop is not delivered by Friday. Call back before 17:00.'],
    ],
  },

  // Jon Smith and John Smith: one person, two profiles sharing an email address.
  {
    id: 'conv-1007', customerId: 'c-004', channel: 'email', status: 'resolved', assigneeId: 'agent-priya', queueId: 'q-orders',
    lines: [
      ['in', 10 * DAY, 'Could you send me an invoice for my Watch S3 order?', {
        email: inboundMail('c-004', 'Invoice for order KS-57730021', paragraphs('Hi,\nCould you send me an invoice for my Watch S3 order KS-57730021? The company name is Smith & Partners LLC.\nJon')),
      }],
      ['out', 10 * DAY - 2 * HOUR, 'Please find the invoice attached.', {
        author: 'Priya Nair',
        attachments: [file('Invoice-KS-57730021.pdf', 88213)],
        email: outboundMail('c-004', 'Invoice for order KS-57730021', paragraphs('Hi Jon,\nPlease find the invoice for order KS-57730021 attached.\nKind regards,\nPriya Nair')),
      }],
    ],
  },
  {
    id: 'conv-1008', customerId: 'c-005', channel: 'webchat', status: 'open', assigneeId: AGENT_ID, queueId: 'q-general',
    lines: [
      ['in', 30 * MINUTE, 'Hi, I need the invoice for my Watch order again, I lost the email.'],
      ['out', 28 * MINUTE, 'Hi John, happy to help. Which email address did you use for the order?'],
      ['in', 27 * MINUTE, 'john.smith@example.com, but my account here shows "John" and the old one says "Jon". Can you fix that?'],
    ],
  },

  // 李娜 (VIP 3): an enterprise customer across phone, email, WeChat and Douyin.
  {
    id: 'conv-1009', customerId: 'c-006', channel: 'phone', status: 'resolved', assigneeId: AGENT_ID, queueId: 'q-vip', subject: '企业采购报价',
    lines: [
      ['out', 6 * DAY + 4 * HOUR, '外呼：确认20台 NovaBook 14 企业采购需求并发送报价。', { call: call(734, '已发送报价', 'conv-1009', null, 'outbound') }],
    ],
  },
  {
    id: 'conv-1010', customerId: 'c-006', channel: 'email', status: 'resolved', assigneeId: AGENT_ID, queueId: 'q-vip',
    lines: [
      ['in', 4 * DAY + 6 * HOUR, '附件是采购订单，请确认交期。', {
        attachments: [file('PO-2024-0315-Kestrel.pdf', 214530)],
        email: inboundMail('c-006', '采购订单 PO-2024-0315（NovaBook 14 ×20）', paragraphs('陈琳您好：\n附件是我司的采购订单 PO-2024-0315，共20台 NovaBook 14（32GB/1TB）。\n请确认交期，并按订单抬头开具增值税专用发票。\n李娜\n采购部'), ['finance@example.cn']),
      }],
      ['out', 4 * DAY + 4 * HOUR, '订单已确认，预计3个工作日内发货。', {
        email: outboundMail('c-006', '采购订单 PO-2024-0315（NovaBook 14 ×20）', paragraphs('李女士您好：\n订单已确认，预计3个工作日内从苏州仓发货，发票将随货寄出。\n如有任何问题请随时联系我。\nChen Lin\n红隼电子 VIP 客户服务')),
      }],
    ],
  },
  {
    id: 'conv-1011', customerId: 'c-006', channel: 'wechat', status: 'open', assigneeId: AGENT_ID, queueId: 'q-vip', priority: 'high', subject: '发票重开',
    lines: [
      ['in', 2 * HOUR, '陈琳你好，收到的发票抬头少了“有限公司”几个字，财务不能报销，麻烦尽快重开。', { attachments: [file('发票照片.jpg', 651204)] }],
      ['in', 2 * HOUR - 2 * MINUTE, '今天能处理吗？月底要结账。'],
    ],
  },
  {
    id: 'conv-1012', customerId: 'c-006', channel: 'douyin', status: 'pending', assigneeId: AGENT_ID, queueId: 'q-social', subject: '直播间订单发货',
    lines: [
      ['in', 50 * HOUR, '昨晚直播间买的 AirBeat 2 什么时候发货？'],
      ['out', 49 * HOUR, '李女士您好，直播间订单会在48小时内发货，发货后会有短信通知。'],
    ],
  },

  // 张伟: a live-stream coupon problem on Douyin, waiting in the queue.
  {
    id: 'conv-1013', customerId: 'c-007', channel: 'douyin', status: 'queued', assigneeId: null, queueId: 'q-social', subject: '优惠券无法使用',
    lines: [['in', 90, '直播间领的满1000减100优惠券下单时用不了，提示“不满足使用条件”，我买的是1299的手表。']],
  },

  // 陈静: a return on WeChat, then the refund has not arrived.
  {
    id: 'conv-1014', customerId: 'c-008', channel: 'wechat', status: 'resolved', assigneeId: AGENT_ID, queueId: 'q-social', subject: 'AirBeat 2 退货',
    lines: [
      ['in', DAY + 6 * HOUR, '耳机戴着耳朵疼，想退货，包装都还在。'],
      ['out', DAY + 6 * HOUR - 3 * MINUTE, '陈女士您好，签收30天内且包装完好可以退货。我已为您生成退货单，快递员会在明天上午上门取件。'],
      ['in', DAY + 6 * HOUR - 5 * MINUTE, '好的，谢谢。'],
    ],
  },
  {
    id: 'conv-1015', customerId: 'c-008', channel: 'wechat', status: 'open', assigneeId: AGENT_ID, queueId: 'q-social', subject: '退款未到账',
    lines: [
      ['in', 25 * MINUTE, '你好，耳机昨天已经被取走了，退款什么时候到账？'],
      ['in', 24 * MINUTE, '我是用微信支付的。'],
    ],
  },

  // Michael Brown: a pairing problem on web chat, just arrived.
  {
    id: 'conv-1016', customerId: 'c-009', channel: 'webchat', status: 'queued', assigneeId: null, queueId: 'q-tech', subject: 'Earbuds will not pair',
    lines: [['in', 60, 'Hello? My AirBeat 2 earbuds won\'t pair with my laptop. The case light just blinks white.']],
  },

  // Sophie Martin (VIP 2): a tablet that arrived broken; the email is past its first-response target.
  {
    id: 'conv-1017', customerId: 'c-010', channel: 'email', status: 'open', assigneeId: AGENT_ID, queueId: 'q-orders', priority: 'urgent',
    lines: [
      ['in', 26 * HOUR, 'My Tab 11 arrived with a cracked screen. Photos attached.', {
        attachments: [file('tab11-box.jpg', 1204551), file('tab11-screen.jpg', 987002)],
        email: inboundMail(
          'c-010',
          'Damaged on arrival – Tab 11, order KS-58244107',
          '<p>Hello,</p><p>My <b>Tab 11</b> (order KS-58244107) arrived this morning with a cracked screen. The outer box was dented on one corner. Photos attached.</p><p>I need a replacement before Thursday, when I review it for my blog.</p><p>Sophie Martin</p><img src="https://tracker.mailer.example/open.gif?u=sm" width="1" height="1" alt="">',
          ['editor@techblog.example'],
        ),
      }],
    ],
  },

  // 赵磊: SMS, a parcel marked delivered that never arrived; an older SMS exchange too.
  {
    id: 'conv-1018', customerId: 'c-011', channel: 'sms', status: 'queued', assigneeId: null, queueId: 'q-orders',
    lines: [['in', 6 * MINUTE, '快递显示已签收，但我没收到，订单号 KS-58251190，请帮忙查一下。']],
  },
  {
    id: 'conv-1019', customerId: 'c-011', channel: 'sms', status: 'resolved', assigneeId: 'agent-liu', queueId: 'q-orders',
    lines: [
      ['in', 20 * DAY, '请问充电头单独卖吗？'],
      ['out', 20 * DAY - 10 * MINUTE, '您好，PowerCube 65W 充电头单独售价149元，官网和小程序都能买到。', { author: '刘洋' }],
    ],
  },

  // 孙丽: Douyin earlier, now a WeChat question about points.
  {
    id: 'conv-1020', customerId: 'c-012', channel: 'douyin', status: 'resolved', assigneeId: 'agent-zhou', queueId: 'q-social',
    lines: [
      ['in', 3 * DAY, '手表表带有别的颜色吗？'],
      ['out', 3 * DAY - 4 * MINUTE, '有的，Watch S3 表带有午夜黑、雾霾蓝和樱花粉三种颜色。', { author: '周婷' }],
      ['in', 3 * DAY - 6 * MINUTE, '好的，我去下单。'],
    ],
  },
  {
    id: 'conv-1021', customerId: 'c-012', channel: 'wechat', status: 'queued', assigneeId: null, queueId: 'q-social', subject: '积分兑换',
    lines: [['in', 4 * MINUTE, '会员积分怎么兑换？我有3200分，能抵多少钱？']],
  },

  // David Lee: a phone call waiting in the queue right now.
  {
    id: 'conv-1022', customerId: 'c-013', channel: 'phone', status: 'queued', assigneeId: null, queueId: 'q-general',
    lines: [['in', 15, 'Incoming call from +1 415 555 0113 (IVR: "orders and delivery").']],
  },

  // Anna Müller and Anna Mueller: the same person, two profiles with the same phone number.
  {
    id: 'conv-1023', customerId: 'c-015', channel: 'email', status: 'resolved', assigneeId: 'agent-yuki', queueId: 'q-tech',
    lines: [
      ['in', 8 * DAY, 'Is the Watch S3 battery covered by the warranty?', {
        email: inboundMail('c-015', 'Warranty – Watch S3 battery', paragraphs('Hello,\nmy Watch S3 now lasts only one day instead of five. Is the battery covered by the warranty? I bought it eleven months ago.\nBest, Anna Müller')),
      }],
      ['out', 8 * DAY - 3 * HOUR, 'Yes, batteries holding less than 80 % within 12 months are covered.', {
        author: 'Yuki Tanaka',
        email: outboundMail('c-015', 'Warranty – Watch S3 battery', paragraphs('Dear Anna,\nYes: within the 12-month warranty a battery that holds less than 80 % of its capacity is covered. I have started claim T-1010; you will receive a prepaid label shortly.\nYuki Tanaka')),
      }],
    ],
  },
  {
    id: 'conv-1024', customerId: 'c-016', channel: 'webchat', status: 'open', assigneeId: AGENT_ID, queueId: 'q-tech',
    lines: [
      ['in', 12 * MINUTE, 'Hi, following up on my warranty claim for the watch. I have not received the label.'],
      ['out', 10 * MINUTE, 'Hi Anna, let me check. Do you have the claim number?'],
      ['in', 2 * MINUTE, 'T-1010 I think. My other account is under anna.mueller@example.de'],
    ],
  },

  // 黄敏 and 黄敏: same name, two different people (or not): a merge the agent should check first.
  {
    id: 'conv-1025', customerId: 'c-020', channel: 'phone', status: 'resolved', assigneeId: AGENT_ID, queueId: 'q-general',
    lines: [
      ['in', 2 * DAY + 3 * HOUR, '来电：咨询以旧换新活动。', { call: call(245, '已解答', 'conv-1025') }],
    ],
  },
  {
    id: 'conv-1026', customerId: 'c-021', channel: 'wechat', status: 'pending', assigneeId: AGENT_ID, queueId: 'q-social',
    lines: [
      ['in', 7 * HOUR, '以旧换新的旧手机要自己寄过去吗？'],
      ['out', 7 * HOUR - 5 * MINUTE, '您好，不需要自己寄，提交以旧换新订单后会有快递上门取件。请问您的旧手机是什么型号？'],
    ],
  },

  // Olivia Chen: a double charge, handled by Marcus.
  {
    id: 'conv-1027', customerId: 'c-017', channel: 'webchat', status: 'open', assigneeId: 'agent-marcus', queueId: 'q-orders', priority: 'high',
    lines: [
      ['in', 3 * HOUR, 'I was charged twice for order KS-58299120, $649 each. Please refund one.', { attachments: [file('bank-statement.png', 301877)] }],
      ['out', 3 * HOUR - 3 * MINUTE, 'Hi Olivia, I can see one payment authorised twice. I have raised this with our payments team (ticket T-1007).', { author: 'Marcus Reid' }],
    ],
  },

  // 周杰: a locked account over SMS.
  {
    id: 'conv-1028', customerId: 'c-018', channel: 'sms', status: 'pending', assigneeId: AGENT_ID, queueId: 'q-general',
    lines: [
      ['in', 45 * MINUTE, '账号登录提示已锁定，怎么解锁？'],
      ['out', 40 * MINUTE, '您好，连续输错5次密码会锁定30分钟。我已为您解锁，请通过“忘记密码”重置后再登录。'],
    ],
  },

  // Ravi Kumar: a laptop that will not power on; a missed call, then an email.
  {
    id: 'conv-1029', customerId: 'c-019', channel: 'email', status: 'queued', assigneeId: null, queueId: 'q-tech', priority: 'high',
    lines: [
      ['in', 5 * HOUR, 'My NovaBook 14 will not turn on at all, no lights, nothing.', {
        email: inboundMail('c-019', 'NovaBook 14 does not power on', paragraphs('Hi,\nmy NovaBook 14 (serial NB14-2231-7781) will not turn on at all since yesterday. No lights, no fan, nothing, even when plugged in.\nI tried to call but waited 20 minutes and gave up.\nRavi')),
      }],
    ],
  },
  {
    id: 'conv-1030', customerId: 'c-019', channel: 'phone', status: 'resolved', assigneeId: null, queueId: 'q-tech',
    lines: [
      ['in', 6 * HOUR, 'Inbound call abandoned after 19 minutes in the queue.', { call: call(0, 'Abandoned in queue', 'conv-1030') }],
    ],
  },

  // 吴芳: price protection after a price drop.
  {
    id: 'conv-1031', customerId: 'c-022', channel: 'wechat', status: 'queued', assigneeId: null, queueId: 'q-social', priority: 'normal', subject: '价格保护',
    lines: [
      ['in', 20 * MINUTE, '我上周买的 K20 Pro 今天降价300元了，可以申请价保吗？'],
      ['in', 19 * MINUTE, '订单号 KS-58230017', { attachments: [file('订单截图.png', 224019)] }],
    ],
  },

  // James Wilson: membership points over web chat.
  {
    id: 'conv-1032', customerId: 'c-023', channel: 'webchat', status: 'resolved', assigneeId: 'agent-marcus', queueId: 'q-general',
    lines: [
      ['in', 2 * DAY, 'When do my Gold tier points expire?'],
      ['out', 2 * DAY - MINUTE, 'Hi James, points expire 24 months after they are earned; your next 1,200 points expire on 31 December.', { author: 'Marcus Reid' }],
      ['in', 2 * DAY - 3 * MINUTE, 'Great, thanks!'],
    ],
  },

  // 郑强: a HomeCam that keeps going offline, escalated after a long call.
  {
    id: 'conv-1033', customerId: 'c-024', channel: 'phone', status: 'open', assigneeId: AGENT_ID, queueId: 'q-tech',
    lines: [
      ['in', HOUR, '来电：HomeCam 2K 每天晚上掉线，已升级至二线技术支持。', {
        call: call(508, '升级二线', 'conv-1033', '客户：摄像头每天晚上十点左右就离线，早上又自己好了。\n客服：请问路由器是否开启了定时关闭 Wi-Fi 或者 5GHz 频段？\n客户：路由器是运营商的，我不太清楚。\n客服：我先帮您升级到二线技术支持，他们会在24小时内联系您远程排查。'),
      }],
      ['note', HOUR - 9 * MINUTE, '固件版本 2.1.4，已是最新。疑似路由器夜间节能模式，已建工单 T-1009。'],
    ],
  },

  // Grace Kim: a watch strap return by email.
  {
    id: 'conv-1034', customerId: 'c-025', channel: 'email', status: 'resolved', assigneeId: 'agent-priya', queueId: 'q-orders',
    lines: [
      ['in', 30 * HOUR, 'I ordered the wrong strap size (S instead of L). Can I exchange it?', {
        email: inboundMail('c-025', 'Exchange strap size', paragraphs('Hi there,\nI ordered the Watch S3 sport strap in S instead of L (order KS-58190442). Can I exchange it?\nGrace')),
      }],
      ['out', 29 * HOUR, 'Of course. A prepaid return label is attached; we ship the L strap as soon as the S is scanned.', {
        author: 'Priya Nair',
        attachments: [file('return-label-KS-58190442.pdf', 45120)],
        email: outboundMail('c-025', 'Exchange strap size', paragraphs('Hi Grace,\nOf course. A prepaid return label is attached; we ship the L strap as soon as the courier scans your parcel.\nPriya')),
      }],
    ],
  },

  // 马超: a Douyin question waiting past its first-response target.
  {
    id: 'conv-1035', customerId: 'c-026', channel: 'douyin', status: 'queued', assigneeId: null, queueId: 'q-social',
    lines: [
      ['in', 8 * MINUTE, '主播说今天下单明天到，我在成都也是明天到吗？'],
      ['in', 7 * MINUTE, '在吗'],
    ],
  },

  // Lucas Rossi: a company invoice request by email.
  {
    id: 'conv-1036', customerId: 'c-027', channel: 'email', status: 'queued', assigneeId: null, queueId: 'q-orders',
    lines: [
      ['in', 4 * HOUR, 'Please issue the invoice to our company with VAT number IT01234567890.', {
        email: inboundMail('c-027', 'Company invoice for order KS-58260301', paragraphs('Good morning,\nplease issue the invoice for order KS-58260301 to Rossi Design S.r.l., VAT number IT01234567890, Via Roma 1, 00100 Roma.\nThank you,\nLucas Rossi')),
      }],
    ],
  },

  // 林芳: a WeChat conversation in progress with a photo just received.
  {
    id: 'conv-1037', customerId: 'c-028', channel: 'wechat', status: 'open', assigneeId: AGENT_ID, queueId: 'q-social',
    lines: [
      ['in', 15 * MINUTE, '平板屏幕右下角有一块亮斑，刚买两周。'],
      ['out', 13 * MINUTE, '您好，方便拍一张白色背景下的屏幕照片吗？我帮您判断一下。'],
      ['in', MINUTE, '这样可以吗？', { attachments: [file('屏幕亮斑.jpg', 734552)] }],
    ],
  },

  // Noah Williams: a quick SMS exchange.
  {
    id: 'conv-1038', customerId: 'c-029', channel: 'sms', status: 'resolved', assigneeId: AGENT_ID, queueId: 'q-orders',
    lines: [
      ['in', 2 * HOUR, 'Can I change the delivery address for order KS-58270055? I moved.'],
      ['out', 2 * HOUR - 6 * MINUTE, 'Hi Noah, done: the parcel will go to the new address you gave us on your account. It has not shipped yet, so no extra cost.', { delivery: 'read' }],
      ['in', 2 * HOUR - 8 * MINUTE, 'Perfect, thank you'],
    ],
  },

  // 杨帆 (VIP 3): an escalation over WeChat with a ticket, assigned to the agent.
  {
    id: 'conv-1039', customerId: 'c-036', channel: 'wechat', status: 'open', assigneeId: AGENT_ID, queueId: 'q-vip', priority: 'urgent', subject: '笔记本维修超期',
    lines: [
      ['in', 55 * MINUTE, '我的笔记本送修已经12天了，说好7天修好的，到底什么时候能寄回来？'],
      ['out', 50 * MINUTE, '杨先生您好，非常抱歉让您久等。我马上联系维修中心确认进度，30分钟内回复您。'],
      ['note', 48 * MINUTE, '维修中心：主板缺料，预计周五到货。考虑直接换新，需主管审批。'],
      ['in', 5 * MINUTE, '30分钟到了，有结果吗？'],
    ],
  },

  // Ethan Park: an email thread about a pre-order, cc'ing his assistant.
  {
    id: 'conv-1040', customerId: 'c-033', channel: 'email', status: 'pending', assigneeId: AGENT_ID, queueId: 'q-vip',
    lines: [
      ['in', 3 * DAY, 'Can I pre-order the K30 on launch day with my member discount?', {
        email: inboundMail('c-033', 'K30 pre-order and member discount', paragraphs('Hello,\nCan I pre-order the K30 on launch day and still use my Platinum member discount? Please copy my assistant.\nEthan'), ['assistant.park@example.com']),
      }],
      ['out', 3 * DAY - 5 * HOUR, 'Yes, Platinum members get early access and their discount on pre-orders.', {
        email: outboundMail('c-033', 'K30 pre-order and member discount', paragraphs('Hi Ethan,\nYes: Platinum members get 24-hour early access and their 8 % discount on pre-orders. I will send you the link as soon as pre-orders open.\nChen Lin')),
      }],
    ],
  },
];

// ---------------------------------------------------------------------------------------------------------
// Older, resolved history generated from common requests, so every customer has a cross-channel past.

interface Script {
  readonly subject: { readonly en: string; readonly zh: string };
  readonly en: readonly string[];
  readonly zh: readonly string[];
}

const SCRIPTS: readonly Script[] = [
  {
    subject: { en: 'Order status', zh: '订单状态查询' },
    en: ['Hi, when will my order ship?', 'It shipped this morning; the tracking number is SF1402 8876 113.', 'Great, thank you!', 'You are welcome, enjoy your new device.'],
    zh: ['你好，我的订单什么时候发货？', '您好，已经今天上午发出了，顺丰单号 SF1402 8876 113。', '好的，谢谢！', '不客气，祝您使用愉快。'],
  },
  {
    subject: { en: 'Return request', zh: '退货申请' },
    en: ['I would like to return my charger, it is the wrong plug type.', 'No problem, you are within 30 days. I have emailed you a prepaid return label.', 'Got it, thanks.', 'The refund goes back to your card within 3–5 working days after we receive it.'],
    zh: ['充电器插头不对，想退货。', '没问题，您在30天退货期内，已为您生成免费退货单。', '收到，谢谢。', '仓库签收后3–5个工作日原路退款。'],
  },
  {
    subject: { en: 'Warranty question', zh: '保修咨询' },
    en: ['Is accidental damage covered by the warranty?', 'The standard 1-year warranty covers manufacturing faults; accidental damage is covered by Kestrel Care+.', 'Can I still buy Care+?', 'Yes, within 60 days of purchase, from your account page.'],
    zh: ['意外摔坏在保修范围内吗？', '标准一年保修只覆盖产品本身的质量问题，意外损坏需要购买 Kestrel Care+ 服务。', '现在还能买 Care+ 吗？', '购买后60天内可以在“我的账户”里购买。'],
  },
  {
    subject: { en: 'Payment options', zh: '支付方式' },
    en: ['Can I pay in instalments?', 'Yes, 3, 6 or 12 interest-free instalments with major credit cards and Huabei.', 'OK thanks.'],
    zh: ['可以分期付款吗？', '可以，信用卡和花呗支持3期、6期、12期免息分期。', '好的，谢谢。'],
  },
  {
    subject: { en: 'Invoice request', zh: '发票申请' },
    en: ['Can I get an invoice for my order?', 'Of course, you can download it from Orders › Invoice, or I can email it to you.', 'Please email it.', 'Sent, please check your inbox.'],
    zh: ['订单可以开发票吗？', '可以的，您可以在“我的订单 › 发票”中申请电子发票，也可以由我帮您开具。', '麻烦帮我开一下，抬头是个人。', '已开具，电子发票已发送到您的邮箱。'],
  },
  {
    subject: { en: 'Password reset', zh: '密码重置' },
    en: ['I forgot my password and the reset link expired.', 'Reset links are valid for 30 minutes. I have sent you a fresh one just now.', 'That worked, thanks.'],
    zh: ['忘记密码了，重置链接过期了。', '重置链接有效期为30分钟，我刚刚重新给您发送了一封。', '可以了，谢谢。'],
  },
  {
    subject: { en: 'Bluetooth pairing', zh: '蓝牙配对' },
    en: ['My earbuds only play in one ear.', 'Please put both earbuds in the case, hold the button for 10 seconds until the light flashes amber, then pair again.', 'Both work now!', 'Glad to hear it.'],
    zh: ['耳机只有一边有声音。', '请把两只耳机放回充电盒，长按按钮10秒直到指示灯闪橙色，再重新配对。', '两边都好了！', '太好了，有问题随时联系我们。'],
  },
  {
    subject: { en: 'Delivery address change', zh: '修改收货地址' },
    en: ['Can I change my delivery address?', 'Yes, the order has not shipped yet. I have updated it to the new address.', 'Thank you.'],
    zh: ['能改一下收货地址吗？', '可以，订单还没有发货，已经帮您改成新地址了。', '谢谢。'],
  },
  {
    subject: { en: 'Membership points', zh: '会员积分' },
    en: ['How many points do I have?', 'You have 2,450 points; 100 points are worth $1 at checkout.', 'Nice, thanks.'],
    zh: ['我现在有多少积分？', '您目前有2450积分，结算时每100积分可抵1元。', '好的，谢谢。'],
  },
  {
    subject: { en: 'Stock availability', zh: '到货咨询' },
    en: ['Is the NovaBook 14 in silver back in stock?', 'It is expected next Tuesday. I can set an arrival alert for you.', 'Yes please.', 'Done, you will get a message as soon as it is available.'],
    zh: ['NovaBook 14 银色什么时候到货？', '预计下周二到货，需要帮您设置到货提醒吗？', '好的。', '已设置，到货后会第一时间通知您。'],
  },
];

const CHANNEL_IDENTITY: Readonly<Record<Channel, SeedIdentity['kind'][]>> = {
  phone: ['phone'],
  sms: ['phone'],
  email: ['email'],
  wechat: ['wechat'],
  douyin: ['douyin'],
  webchat: ['webchat', 'member'],
};
const CHANNEL_ORDER: readonly Channel[] = ['webchat', 'phone', 'wechat', 'email', 'sms', 'douyin'];
const HISTORY_AGENTS: readonly string[] = ['agent-chen', 'agent-marcus', 'agent-liu', 'agent-yuki', 'agent-priya', 'agent-zhou'];
const QUEUE_FOR_SCRIPT: readonly string[] = ['q-orders', 'q-orders', 'q-tech', 'q-orders', 'q-orders', 'q-general', 'q-tech', 'q-orders', 'q-general', 'q-general'];
const HISTORY_COUNT = 44;

function channelsOf(spec: CustomerSpec): Channel[] {
  return CHANNEL_ORDER.filter((channel) => CHANNEL_IDENTITY[channel].some((kind) => spec.ids[kind] !== undefined));
}

function historyThreads(): Thread[] {
  const threads: Thread[] = [];
  for (let index = 0; index < HISTORY_COUNT; index += 1) {
    const spec = CUSTOMER_SPECS[(index * 7) % CUSTOMER_SPECS.length];
    const script = SCRIPTS[index % SCRIPTS.length];
    if (!spec || !script) continue;
    const channels = channelsOf(spec);
    const channel = channels[index % channels.length] ?? 'webchat';
    const agentId = HISTORY_AGENTS[index % HISTORY_AGENTS.length] ?? AGENT_ID;
    const author = AGENT_NAMES[agentId] ?? AGENT_NAME;
    const start = (4 + ((index * 5) % 56)) * DAY + ((index * 37) % 600) * MINUTE;
    const texts = spec.zh ? script.zh : script.en;
    const subject = spec.zh ? script.subject.zh : script.subject.en;
    const id = `conv-${2001 + index}`;
    let lines: Line[];
    if (channel === 'phone') {
      const duration = 90 + ((index * 53) % 540);
      const summary = spec.zh ? `来电：${texts[0] ?? ''}` : `Inbound call: ${texts[0] ?? ''}`;
      const transcript =
        index % 3 === 0
          ? texts.map((text, turn) => `${turn % 2 === 0 ? (spec.zh ? '客户' : 'Customer') : spec.zh ? '客服' : 'Agent'}: ${text}`).join('\n')
          : null;
      lines = [['in', start, summary, { call: call(duration, spec.zh ? '已解决' : 'Resolved', id, transcript) }]];
    } else {
      lines = texts.map((text, turn): Line => {
        const direction: Direction = turn % 2 === 0 ? 'in' : 'out';
        const at = start - turn * (channel === 'email' ? 3 * HOUR : 2 * MINUTE + ((index + turn) % 5) * 30);
        if (channel !== 'email') return [direction, at, text, direction === 'out' ? { author } : {}];
        const email = direction === 'in' ? inboundMail(spec.id, subject, paragraphs(text)) : outboundMail(spec.id, subject, paragraphs(text));
        return [direction, at, text, direction === 'out' ? { author, email } : { email }];
      });
    }
    threads.push({
      id,
      customerId: spec.id,
      channel,
      status: 'resolved',
      assigneeId: agentId,
      queueId: QUEUE_FOR_SCRIPT[index % QUEUE_FOR_SCRIPT.length] ?? 'q-general',
      priority: 'normal',
      subject,
      lines,
    });
  }
  return threads;
}

function toSeed(threads: readonly Thread[]): { conversations: SeedConversation[]; messages: SeedMessage[] } {
  const conversations: SeedConversation[] = [];
  const messages: SeedMessage[] = [];
  for (const thread of threads) {
    conversations.push({
      id: thread.id,
      channel: thread.channel,
      customerId: thread.customerId,
      status: thread.status,
      priority: thread.priority ?? 'normal',
      assigneeId: thread.assigneeId ?? null,
      queueId: thread.queueId ?? null,
      ...(thread.subject === undefined ? {} : { subject: thread.subject }),
    });
    thread.lines.forEach(([direction, secondsAgo, text, extra = {}], index) => {
      messages.push({
        id: `${thread.id}-m${index + 1}`,
        conversationId: thread.id,
        direction: DIRECTIONS[direction],
        ...(extra.author === undefined ? {} : { authorName: extra.author }),
        text,
        sentAt: ago(secondsAgo),
        ...(extra.delivery === undefined ? {} : { delivery: extra.delivery }),
        ...(extra.attachments === undefined ? {} : { attachments: extra.attachments.map((attachment, n) => ({ ...attachment, id: `${thread.id}-m${index + 1}-a${n + 1}` })) }),
        ...(extra.email === undefined ? {} : { email: extra.email }),
        ...(extra.call === undefined ? {} : { call: extra.call }),
      });
    });
  }
  return { conversations, messages };
}

// ---------------------------------------------------------------------------------------------------------
// Tickets

const TICKETS: readonly SeedTicket[] = [
  {
    id: 'T-1001', customerId: 'c-001', subject: 'K20 Pro 无法充电 – 返修', type: 'incident', priority: 'high', status: 'open',
    description: '客户 K20 Pro 充电口氧化，清洁和重启无效。已安排顺丰上门取件返修（在保）。客户询问维修期间的备用机。',
    assigneeId: AGENT_ID, groupId: 'q-tech', sourceChannel: 'phone', conversationIds: ['conv-1001', 'conv-1002', 'conv-1003'],
    createdAt: ago(2 * DAY + 5 * HOUR - 12 * MINUTE), dueAt: '+2d', version: 3,
    comments: [
      { authorName: AGENT_NAME, body: '已确认在保，返修单已生成，顺丰明天上门取件。', internal: false, createdAt: ago(2 * DAY + 5 * HOUR - 12 * MINUTE) },
      { authorName: '维修中心', body: '设备已签收，检测为充电口模块损坏，更换配件，预计2个工作日修复。', internal: true, createdAt: ago(DAY) },
    ],
  },
  {
    id: 'T-1002', customerId: 'c-003', subject: 'NovaBook 14 delivery delayed – order KS-58210394', type: 'problem', priority: 'high', status: 'pending',
    description: 'Parcel has not moved from the Shanghai hub for three days. Courier investigation SF-88120 opened. Customer wants a refund if not delivered by Friday.',
    assigneeId: AGENT_ID, groupId: 'q-orders', conversationIds: ['conv-1004', 'conv-1005', 'conv-1006'],
    createdAt: ago(23 * HOUR), dueAt: '+20h', version: 2,
    comments: [
      { authorName: AGENT_NAME, body: 'Investigation opened with SF Express, case SF-88120.', internal: true, createdAt: ago(23 * HOUR) },
      { authorName: AGENT_NAME, body: 'We are checking with the courier and will update you within 24 hours.', internal: false, createdAt: ago(23 * HOUR - MINUTE) },
    ],
  },
  {
    id: 'T-1003', customerId: 'c-006', subject: '重开增值税专用发票（抬头缺“有限公司”）', type: 'task', priority: 'high', status: 'new',
    description: '采购订单 PO-2024-0315 的发票抬头有误，需作废重开增值税专用发票并快递寄出。',
    groupId: 'q-vip', conversationIds: ['conv-1011'], createdAt: ago(HOUR + 50 * MINUTE), dueAt: '+6h',
  },
  {
    id: 'T-1004', customerId: 'c-006', subject: '20台 NovaBook 14 企业采购', type: 'task', priority: 'normal', status: 'solved',
    description: '企业采购 PO-2024-0315，20台 NovaBook 14（32GB/1TB），已发货。', assigneeId: AGENT_ID, groupId: 'q-vip',
    conversationIds: ['conv-1009', 'conv-1010'], createdAt: ago(6 * DAY), updatedAt: ago(DAY), version: 4,
    comments: [{ authorName: AGENT_NAME, body: '已发货，物流单号 SF1402 9921 004，发票随货。', internal: false, createdAt: ago(2 * DAY) }],
  },
  {
    id: 'T-1005', customerId: 'c-008', subject: 'AirBeat 2 退货退款跟进', type: 'question', priority: 'normal', status: 'open',
    description: '客户已寄回 AirBeat 2，等待仓库签收后退款至微信支付。', assigneeId: AGENT_ID, groupId: 'q-orders', sourceChannel: 'wechat',
    conversationIds: ['conv-1014', 'conv-1015'], createdAt: ago(DAY + 5 * HOUR), dueAt: '+1d', version: 2,
    comments: [{ authorName: '仓库', body: '退货包裹已揽收，预计明天到仓。', internal: true, createdAt: ago(20 * HOUR) }],
  },
  {
    id: 'T-1006', customerId: 'c-010', subject: 'Tab 11 arrived with a cracked screen', type: 'incident', priority: 'urgent', status: 'new',
    description: 'Order KS-58244107 arrived damaged (cracked screen, dented box). Customer needs a replacement before Thursday.',
    groupId: 'q-orders', conversationIds: ['conv-1017'], createdAt: ago(25 * HOUR), dueAt: '-1h',
  },
  {
    id: 'T-1007', customerId: 'c-017', subject: 'Double charge on order KS-58299120', type: 'problem', priority: 'high', status: 'open',
    description: 'Payment authorised twice ($649 × 2). One authorisation must be voided.', assigneeId: 'agent-marcus', groupId: 'q-orders',
    conversationIds: ['conv-1027'], createdAt: ago(3 * HOUR - 3 * MINUTE), dueAt: '+21h', version: 2,
    comments: [{ authorName: 'Marcus Reid', body: 'Payments team: the second authorisation will be released automatically within 5 working days; asked them to void it now.', internal: true, createdAt: ago(2 * HOUR) }],
  },
  {
    id: 'T-1008', customerId: 'c-019', subject: 'NovaBook 14 does not power on', type: 'incident', priority: 'high', status: 'new',
    description: 'No lights or fan even on AC power. Serial NB14-2231-7781. Customer abandoned a 19-minute phone queue before emailing.',
    groupId: 'q-tech', conversationIds: ['conv-1029', 'conv-1030'], createdAt: ago(4 * HOUR), dueAt: '+4h',
  },
  {
    id: 'T-1009', customerId: 'c-024', subject: 'HomeCam 2K 每晚离线', type: 'incident', priority: 'normal', status: 'open',
    description: '每晚约22点离线、早上自动恢复。固件 2.1.4。疑似路由器夜间节能或频段切换。', assigneeId: AGENT_ID, groupId: 'q-tech',
    conversationIds: ['conv-1033'], createdAt: ago(50 * MINUTE), dueAt: '+23h',
  },
  {
    id: 'T-1010', customerId: 'c-015', subject: 'Watch S3 battery warranty claim', type: 'incident', priority: 'normal', status: 'pending',
    description: 'Battery lasts one day instead of five, 11 months after purchase. Prepaid label to be sent.', assigneeId: 'agent-yuki', groupId: 'q-tech',
    conversationIds: ['conv-1023'], createdAt: ago(8 * DAY - 3 * HOUR), dueAt: '-2d', version: 3,
    comments: [
      { authorName: 'Yuki Tanaka', body: 'Claim approved, label requested from the logistics team.', internal: true, createdAt: ago(8 * DAY - 3 * HOUR) },
      { authorName: 'Yuki Tanaka', body: 'Your claim is approved; the prepaid label will follow by email.', internal: false, createdAt: ago(8 * DAY - 3 * HOUR + MINUTE) },
    ],
  },
  {
    id: 'T-1011', customerId: 'c-036', subject: '笔记本维修超期，申请换新', type: 'problem', priority: 'urgent', status: 'open',
    description: 'VIP 客户笔记本送修12天未返还（承诺7天），主板缺料。建议直接换新，待主管审批。', assigneeId: AGENT_ID, groupId: 'q-vip',
    sourceChannel: 'wechat', conversationIds: ['conv-1039'], createdAt: ago(45 * MINUTE), dueAt: '+3h', version: 2,
    comments: [{ authorName: AGENT_NAME, body: '已提交换新审批，主管：Priya Nair。', internal: true, createdAt: ago(40 * MINUTE) }],
  },
  {
    id: 'T-1012', customerId: 'c-022', subject: 'K20 Pro 价格保护申请', type: 'question', priority: 'low', status: 'new',
    description: '客户购买7天内降价300元，符合14天价保规则，待核实订单后退差价。', groupId: 'q-orders', sourceChannel: 'wechat',
    conversationIds: ['conv-1031'], createdAt: ago(18 * MINUTE), dueAt: '+2d',
  },
  {
    id: 'T-1013', customerId: 'c-025', subject: 'Strap exchange S → L', type: 'task', priority: 'low', status: 'closed',
    description: 'Exchange of a Watch S3 sport strap; replacement shipped.', assigneeId: 'agent-priya', groupId: 'q-orders',
    conversationIds: ['conv-1034'], createdAt: ago(29 * HOUR), updatedAt: ago(2 * HOUR), version: 4,
  },
];

// ---------------------------------------------------------------------------------------------------------
// Knowledge base: every topic in English and Simplified Chinese

interface Topic {
  readonly slug: string;
  readonly tags: readonly string[];
  readonly updatedDaysAgo: number;
  readonly en: { readonly title: string; readonly body: string };
  readonly zh: { readonly title: string; readonly body: string };
}

const TOPICS: readonly Topic[] = [
  {
    slug: 'return-policy', tags: ['returns', 'refund', '退货'], updatedDaysAgo: 12,
    en: {
      title: 'Return policy: 30 days, no questions asked',
      body: `Hi {customer.name}, you can return any product bought from Kestrel within 30 days of delivery for a full refund.

What qualifies: the product and its accessories are complete, and it is not damaged by use. Opened boxes are fine.

What does not qualify: products with customised engraving, opened software licences, and in-ear products whose hygiene seal is broken (unless they are faulty).

Faulty products can be returned or exchanged within 30 days even if the seal is broken; after 30 days the warranty applies.

Returns are free: we email a prepaid label or arrange a courier pickup.`,
    },
    zh: {
      title: '退货政策：30天无理由退货',
      body: `{customer.name}您好，在红隼电子购买的商品，自签收之日起30天内均可无理由退货并全额退款（在国家“七天无理由退货”规定基础上延长至30天）。

可以退货：商品及配件齐全、无人为损坏，拆封不影响退货。

不支持无理由退货：定制刻字商品、已激活的软件授权、已拆除卫生封条的入耳式产品（质量问题除外）。

质量问题：30天内即使已拆封也可退换；超过30天按保修政策处理。

退货免运费：我们会发送免费退货单或安排快递上门取件。`,
    },
  },
  {
    slug: 'start-return', tags: ['returns', 'label', 'pickup', '退货'], updatedDaysAgo: 20,
    en: {
      title: 'How to start a return and get a prepaid label',
      body: `1. Sign in and open Orders, choose the order and select "Return items".
2. Pick the items and a reason. For faulty items, add a short description or a photo.
3. Choose "Print a label" or "Courier pickup". A pickup can be booked for the next working day.
4. Pack the product with all accessories. The original box is helpful but not required.

Agents can create the return for the customer from the order page; the label is emailed automatically. Mention the return number (for example on ticket {ticket.id}) in your reply.`,
    },
    zh: {
      title: '如何申请退货及获取免费退货单',
      body: `1. 登录后进入“我的订单”，选择订单并点击“申请退货”。
2. 选择要退的商品和原因；质量问题请补充简要描述或照片。
3. 选择“打印退货单”或“快递上门取件”，上门取件可预约下一个工作日。
4. 将商品及全部配件打包，原包装盒有助于加快处理，但不是必须。

客服也可以在订单页面替客户发起退货，退货单会自动发送到客户邮箱。回复时请注明退货单号（例如工单 {ticket.id}）。`,
    },
  },
  {
    slug: 'refund-timing', tags: ['refund', 'payment', '退款'], updatedDaysAgo: 8,
    en: {
      title: 'When will I get my refund?',
      body: `We start the refund as soon as the warehouse scans the returned parcel, usually 1–2 days after pickup.

How long it takes to appear:
- Credit and debit cards: 3–5 working days, depending on the bank.
- PayPal: within 24 hours.
- Alipay and WeChat Pay: usually within 24 hours.
- Store credit: immediately.

If more than 7 working days have passed since the refund was issued, ask the customer for a bank statement and open a payments ticket.`,
    },
    zh: {
      title: '退款多久到账？',
      body: `仓库签收退货包裹后立即发起退款，通常在快递取件后1–2天。

到账时间：
- 银行卡/信用卡：3–5个工作日，以银行为准。
- 支付宝、微信支付：一般24小时内原路退回。
- 账户余额：即时到账。

如退款发起后超过7个工作日仍未到账，请向客户索取账单截图并创建支付类工单。`,
    },
  },
  {
    slug: 'warranty-coverage', tags: ['warranty', 'care plus', '保修'], updatedDaysAgo: 30,
    en: {
      title: 'What the warranty covers',
      body: `Every Kestrel product has a 1-year manufacturer warranty from the delivery date (2 years in the EU and UK).

Covered: manufacturing faults, batteries that hold less than 80 % of their capacity, dead pixels (three or more), buttons and ports that stop working.

Not covered: accidental damage (drops, liquid), cosmetic wear, damage from unofficial repairs.

Kestrel Care+ extends cover to 3 years and adds two accidental-damage repairs. It can be bought within 60 days of purchase.`,
    },
    zh: {
      title: '保修范围说明',
      body: `红隼电子所有产品自签收之日起享受一年官方保修，手机、平板、笔记本主机另享国家“三包”规定。

保修范围：产品本身的质量问题；电池容量低于80%；屏幕坏点3个及以上；按键、接口失灵。

不在保修范围：意外摔落、进液等人为损坏；外观正常磨损；非官方维修导致的损坏。

Kestrel Care+ 可将保修延长至3年，并含两次意外损坏维修，需在购买后60天内购买。`,
    },
  },
  {
    slug: 'warranty-claim', tags: ['warranty', 'repair', '保修', '维修'], updatedDaysAgo: 15,
    en: {
      title: 'Making a warranty claim and repair times',
      body: `1. Check the serial number and purchase date on the order.
2. Open a warranty ticket with the fault description and photos or a short video.
3. Send the customer a prepaid label; repairs are collected by courier.

Repair time: 5–7 working days from arrival at the service centre. If a part is out of stock for more than 10 working days, offer a replacement (supervisor approval needed for VIP customers).

Loan devices: VIP level 2 and above may request a loan phone or laptop while theirs is repaired.

Reply template: "Hi {customer.name}, your repair is registered as {ticket.id}. We will keep you updated at each step. {agent.name}"`,
    },
    zh: {
      title: '保修申请流程及维修时效',
      body: `1. 核对订单中的序列号和购买日期。
2. 创建保修工单，附上故障描述和照片或短视频。
3. 给客户发送免费寄修单，由快递上门取件。

维修时效：维修中心签收后5–7个工作日。如配件缺货超过10个工作日，可为客户申请换新（VIP 客户需主管审批）。

备用机：VIP 2级及以上客户维修期间可申请备用手机或笔记本。

回复模板：“{customer.name}您好，您的维修已登记，工单号 {ticket.id}，我们会及时同步进度。客服 {agent.name}”`,
    },
  },
  {
    slug: 'shipping-options', tags: ['shipping', 'delivery', '配送', '发货'], updatedDaysAgo: 25,
    en: {
      title: 'Shipping options and delivery times',
      body: `Standard delivery is free on orders over $49 and takes 2–4 working days.

Express delivery ($9.90) arrives the next working day for orders placed before 4 pm.

Same-day delivery is available in selected cities for orders placed before noon.

Live-stream and pre-order items ship within the time shown on the product page (usually 48 hours for live-stream orders).

Large orders (10 units or more) ship from the Suzhou warehouse and may need one extra day.`,
    },
    zh: {
      title: '配送方式及时效',
      body: `普通快递：订单满49元包邮，2–4个工作日送达。

顺丰特快：9.9元，16点前下单次日送达（偏远地区除外）。

当日达：部分城市12点前下单当日送达。

直播间及预售商品：按商品页面标注的时间发货，直播间订单一般48小时内发货。

企业大单（10台及以上）从苏州仓发货，可能需要多1天。`,
    },
  },
  {
    slug: 'track-order', tags: ['shipping', 'tracking', 'delay', 'not received', '物流', '快递', '还没到', '没收到', '签收'], updatedDaysAgo: 6,
    en: {
      title: 'Tracking a parcel that is late or not moving',
      body: `1. Open the order and check the latest courier scan.
2. If the tracking has not changed for 48 hours, open a courier investigation from the order page. The courier replies within 24 hours.
3. If the parcel shows "delivered" but the customer does not have it, ask them to check with neighbours and the building reception, then open a "not received" investigation.
4. If the courier confirms the parcel is lost, send a replacement by express at no cost, or refund if the customer prefers.

Let {customer.name} know the investigation number and when you will follow up.`,
    },
    zh: {
      title: '物流延误或长时间未更新怎么办',
      body: `1. 打开订单查看最新的快递扫描记录。
2. 如物流超过48小时未更新，在订单页面发起快递查件，快递公司会在24小时内回复。
3. 如显示“已签收”但客户未收到，请客户先确认家人、邻居或驿站代收情况，再发起“未收到”调查。
4. 快递确认丢件后，免费顺丰补发，或按客户意愿退款。

请告知{customer.name}查件单号以及下次跟进时间。`,
    },
  },
  {
    slug: 'damaged-delivery', tags: ['shipping', 'damaged', 'missing', '破损', '漏发'], updatedDaysAgo: 18,
    en: {
      title: 'Damaged, wrong or missing items on arrival',
      body: `Ask the customer for photos of the outer box, the product and the shipping label within 7 days of delivery.

Damaged in transit: send a replacement by express straight away; the customer keeps the damaged item until the courier collects it.

Wrong item: send the right one and a prepaid label for the wrong one.

Missing accessory: send it separately by express; no return needed.

Open an incident ticket so the warehouse can trace the packing station.`,
    },
    zh: {
      title: '到货破损、错发或漏发',
      body: `请客户在签收7天内提供外箱、商品及快递面单照片。

运输破损：立即顺丰补发新品，破损商品等快递上门取回即可。

错发：补发正确商品，并提供错发商品的免费退货单。

漏发配件：单独顺丰补寄，无需退回。

请创建故障类工单，便于仓库追溯打包环节。`,
    },
  },
  {
    slug: 'payment-methods', tags: ['payment', 'instalments', '支付', '分期'], updatedDaysAgo: 40,
    en: {
      title: 'Payment methods and interest-free instalments',
      body: `We accept Visa, Mastercard, American Express, UnionPay, PayPal, Alipay, WeChat Pay and store credit.

Interest-free instalments: 3, 6 or 12 months on orders over $300 with participating credit cards, and with Huabei in China.

Company orders can pay by bank transfer; the order is held for 3 working days until the payment arrives.

Gift cards can be combined with one other payment method.`,
    },
    zh: {
      title: '支付方式及免息分期',
      body: `支持银联、Visa、Mastercard、支付宝、微信支付、花呗及账户余额。

免息分期：订单满300元可使用花呗或指定银行信用卡3期、6期、12期免息分期。

企业订单可对公转账，订单保留3个工作日等待到账。

礼品卡可与另一种支付方式组合使用。`,
    },
  },
  {
    slug: 'double-charge', tags: ['payment', 'charged twice', 'failed payment', '重复扣款', '支付失败'], updatedDaysAgo: 9,
    en: {
      title: 'Charged twice or payment failed',
      body: `A second charge is usually a pending authorisation, not a payment. Banks release duplicate authorisations within 5 working days.

1. Check the order's payment log. If only one payment was captured, explain that the other amount is a hold that will disappear.
2. If two payments were captured, open a payments ticket; the duplicate is refunded within 24 hours.
3. If a payment failed but money left the account, the bank returns it within 7 working days; ask for a statement if it does not.

Never ask the customer for their full card number or CVV.`,
    },
    zh: {
      title: '重复扣款或支付失败',
      body: `第二笔扣款多数是银行的预授权冻结，并非实际扣款，银行会在5个工作日内自动解冻。

1. 查看订单支付记录，如只有一笔成功支付，请向客户说明另一笔为冻结金额。
2. 如确有两笔成功扣款，创建支付类工单，重复款项24小时内退回。
3. 支付失败但已扣款的，银行会在7个工作日内退回；逾期未退请客户提供账单截图。

切勿向客户索要完整卡号或安全码。`,
    },
  },
  {
    slug: 'invoices', tags: ['invoice', 'vat', 'fapiao', '发票'], updatedDaysAgo: 14,
    en: {
      title: 'Invoices and company VAT invoices',
      body: `Every order has a downloadable invoice under Orders › Invoice once it ships.

For a company invoice, the customer adds the company name, address and VAT number before checkout or asks us within 30 days of delivery.

A wrong company name can be corrected once: we cancel the invoice and issue a new one within 2 working days.

In China, electronic fapiao are issued by default; a special VAT fapiao (增值税专用发票) needs the company's tax details and is posted with the order or separately.`,
    },
    zh: {
      title: '发票及增值税专用发票',
      body: `订单发货后，可在“我的订单 › 发票”中下载电子普通发票。

需要开具单位抬头发票的，请在下单时填写单位名称和纳税人识别号，或在签收后30天内联系客服补开。

发票抬头错误可更正一次：作废原发票后2个工作日内重新开具。

增值税专用发票需提供单位名称、纳税人识别号、地址电话、开户行及账号，纸质发票随货或单独快递寄出。`,
    },
  },
  {
    slug: 'password-reset', tags: ['account', 'password', 'login', 'locked', '账户', '密码'], updatedDaysAgo: 5,
    en: {
      title: 'Cannot sign in: reset a password or unlock an account',
      body: `Password reset: choose "Forgot password" on the sign-in page. The link is valid for 30 minutes; ask the customer to check spam if it does not arrive within 5 minutes.

Locked account: five wrong passwords lock the account for 30 minutes. Agents can unlock it after verifying the customer (order number plus the phone number or email on the account).

Changed phone number: verify identity with an order number and the last four digits of the payment card, then update the number.

Never read a verification code out to a customer; they read it to you only in the app.`,
    },
    zh: {
      title: '无法登录：重置密码或解锁账户',
      body: `重置密码：在登录页点击“忘记密码”，链接有效期30分钟；5分钟内未收到请客户检查垃圾邮件。

账户锁定：连续输错5次密码会锁定30分钟。核实客户身份（订单号 + 账户绑定的手机号或邮箱）后，客服可手动解锁。

更换手机号：通过订单号和支付卡后四位核实身份后，可帮客户更换绑定手机。

切勿向客户索要短信验证码。`,
    },
  },
  {
    slug: 'membership', tags: ['account', 'membership', 'points', 'vip', '会员', '积分'], updatedDaysAgo: 22,
    en: {
      title: 'Kestrel membership tiers and points',
      body: `Members earn 1 point per $1 spent. 100 points are worth $1 at checkout; points expire 24 months after they are earned.

Tiers (spend in the last 12 months): Silver from $500, Gold from $1,500, Platinum from $5,000.

Gold and above get free express shipping; Platinum gets early access to launches, an 8 % discount on new products and a dedicated support line.

Points from a returned order are removed; points used on a returned order are given back.`,
    },
    zh: {
      title: '红隼会员等级与积分',
      body: `每消费1元积1分，结算时每100积分抵1元；积分有效期为获得后24个月。

会员等级（近12个月消费）：银卡500元起，金卡1500元起，钻石卡5000元起。

金卡及以上享免费顺丰；钻石卡享新品优先购、新品92折及专属客服热线。

退货订单获得的积分会扣回，已使用的积分会退回账户。`,
    },
  },
  {
    slug: 'phone-not-charging', tags: ['troubleshooting', 'k20', 'charging', 'battery', '充电', '充不进电', '手机'], updatedDaysAgo: 11,
    en: {
      title: 'K20 / K20 Pro will not charge',
      body: `1. Try another USB-C cable and a charger of at least 18 W. Wireless charging helps to tell a port fault from a battery fault.
2. Gently clean the USB-C port with a soft, dry brush; lint is the most common cause.
3. Force restart: hold power and volume down for 10 seconds.
4. Check Settings › Battery › Battery health. Below 80 % within the warranty period is covered.
5. If none of this helps, open a warranty claim; a corroded port shows as green or dark marks in a photo.`,
    },
    zh: {
      title: 'K20 / K20 Pro 无法充电',
      body: `1. 更换一根 USB-C 数据线和18W以上的充电头；用无线充电可区分是接口问题还是电池问题。
2. 用干燥的软毛刷轻轻清洁充电口，灰尘棉絮是最常见的原因。
3. 强制重启：同时长按电源键和音量下键10秒。
4. 在“设置 › 电池 › 电池健康”查看容量，保修期内低于80%可免费更换。
5. 以上无效请发起保修申请；充电口氧化在照片中通常表现为发绿或发黑。`,
    },
  },
  {
    slug: 'earbuds-pairing', tags: ['troubleshooting', 'airbeat', 'bluetooth', 'pairing', '蓝牙', '耳机', '配对'], updatedDaysAgo: 7,
    en: {
      title: 'AirBeat earbuds will not pair or play in one ear only',
      body: `1. Put both earbuds in the case and close the lid for 10 seconds.
2. Open the lid and hold the case button for 10 seconds until the light flashes amber: this resets the earbuds.
3. On the phone or laptop, remove "AirBeat" from the Bluetooth list, then pair again while the light flashes white.
4. If only one earbud plays, clean the charging contacts in the case with a dry cotton swab and repeat the reset.
5. Still failing: check the firmware in the Kestrel app (version 3.2 or later), then open a warranty claim.`,
    },
    zh: {
      title: 'AirBeat 耳机无法配对或单边无声',
      body: `1. 将两只耳机放入充电盒，盖上盖子等待10秒。
2. 打开盒盖，长按充电盒按钮10秒直到指示灯闪橙色，即完成重置。
3. 在手机或电脑的蓝牙列表中删除“AirBeat”，在指示灯闪白灯时重新配对。
4. 如只有一边有声音，用干棉签清洁充电盒内的金属触点后再次重置。
5. 仍无法解决：在红隼 App 中检查固件是否为3.2及以上，然后发起保修申请。`,
    },
  },
  {
    slug: 'laptop-power', tags: ['troubleshooting', 'novabook', 'laptop', 'power', 'battery', '笔记本', '开机'], updatedDaysAgo: 10,
    en: {
      title: 'NovaBook will not turn on or the battery drains fast',
      body: `Will not turn on:
1. Connect the original charger for at least 30 minutes; the charging light should show.
2. Hold the power button for 15 seconds to reset the embedded controller, then press it once.
3. Remove any USB-C docks or displays and try again.
4. No light at all with a known-good charger points to a board fault: open a warranty claim.

Battery drains fast: update the BIOS in Kestrel Assistant, turn on "Balanced" power mode, and check the battery report (powercfg /batteryreport). Capacity below 80 % within the warranty is covered.`,
    },
    zh: {
      title: 'NovaBook 无法开机或耗电快',
      body: `无法开机：
1. 连接原装充电器充电30分钟以上，观察充电指示灯是否亮起。
2. 长按电源键15秒重置嵌入式控制器，松开后再按一次开机。
3. 拔掉所有扩展坞和外接显示器后重试。
4. 使用正常的充电器仍无任何指示灯，多为主板故障，请发起保修申请。

耗电快：在“红隼助手”中更新 BIOS，电源模式选择“平衡”，并生成电池报告（powercfg /batteryreport）查看容量；保修期内低于80%可免费更换。`,
    },
  },
  {
    slug: 'price-protection', tags: ['price protection', 'price drop', 'refund', '价保', '价格保护', '降价'], updatedDaysAgo: 16,
    en: {
      title: 'Price protection: refund of a price drop within 14 days',
      body: `If the price of a product falls on kestrel.example within 14 days of the customer's order, we refund the difference.

Conditions: same product and configuration, sold by Kestrel (not a marketplace seller), not a flash sale, live-stream coupon or clearance price.

How: the customer applies under Orders › Price protection, or an agent applies for them. The difference goes back to the original payment method within 3 working days.

Each order can be price-protected once.`,
    },
    zh: {
      title: '价格保护：14天内降价退差价',
      body: `客户下单后14天内，如同款商品在红隼官方商城降价，可申请退还差价。

适用条件：同款同配置、红隼自营商品；秒杀、直播间专属优惠券及清仓价不参与价保。

申请方式：客户在“我的订单 › 价格保护”中申请，或由客服代为申请，差价3个工作日内原路退回。

每个订单仅可申请一次价保。`,
    },
  },
  {
    slug: 'live-stream-orders', tags: ['douyin', 'live stream', 'coupon', '直播', '优惠券', '抖音'], updatedDaysAgo: 4,
    en: {
      title: 'Live-stream orders and coupons (Douyin)',
      body: `Live-stream coupons apply only to the products named in the stream and only when the order is placed in the Douyin shop.

"Does not meet the conditions" usually means the order total after other discounts is below the coupon threshold, or the product is not in the promotion.

Live-stream orders ship within 48 hours. Returns follow the normal 30-day policy, but the coupon is not reissued.

Douyin allows free replies for 48 hours after the customer's last message; reply within that window.`,
    },
    zh: {
      title: '直播间订单与优惠券（抖音）',
      body: `直播间优惠券仅适用于直播中讲解的指定商品，且需在抖音小店下单使用。

提示“不满足使用条件”，多为叠加其他优惠后订单金额未达门槛，或商品不在活动范围内。

直播间订单48小时内发货；退货按30天退货政策处理，但优惠券不予补发。

抖音私信仅在客户最后一条消息后48小时内可自由回复，请在时限内回复客户。`,
    },
  },
];

function articles(): SeedArticle[] {
  return TOPICS.flatMap((topic) => [
    { id: `kb-${topic.slug}-en`, locale: 'en', title: topic.en.title, body: topic.en.body, tags: [...topic.tags], updatedAt: ago(topic.updatedDaysAgo * DAY) },
    { id: `kb-${topic.slug}-zh`, locale: 'zh-CN', title: topic.zh.title, body: topic.zh.body, tags: [...topic.tags], updatedAt: ago(topic.updatedDaysAgo * DAY) },
  ]);
}

// ---------------------------------------------------------------------------------------------------------
// Canned replies: the same answers in English and Chinese, found by the same shortcut after "/".

const CANNED_REPLIES: readonly SeedCannedReply[] = [
  { id: 'cr-greeting-en', shortcut: 'hello', locale: 'en', title: 'Greeting', text: 'Hi {customer.name}, this is {agent.name} from Kestrel Electronics. How can I help you today?' },
  { id: 'cr-greeting-zh', shortcut: 'hello', locale: 'zh-CN', title: '问候', text: '{customer.name}您好，我是红隼电子客服{agent.name}，请问有什么可以帮您？' },
  { id: 'cr-order-en', shortcut: 'order', locale: 'en', title: 'Ask for the order number', text: 'Could you send me your order number (it starts with KS-)? I will look it up right away.' },
  { id: 'cr-order-zh', shortcut: 'order', locale: 'zh-CN', title: '询问订单号', text: '麻烦您提供一下订单号（以 KS- 开头），我马上为您查询。' },
  { id: 'cr-refund-en', shortcut: 'refund', locale: 'en', title: 'Refund timeline', text: 'Your refund has been approved. It reaches your original payment method within 3–5 business days.' },
  { id: 'cr-refund-zh', shortcut: 'refund', locale: 'zh-CN', title: '退款时效', text: '您的退款已审核通过，将在3–5个工作日内原路退回。' },
  { id: 'cr-shipping-en', shortcut: 'shipping', locale: 'en', title: 'Shipping status', text: 'Your parcel is on its way. You can follow it with the tracking link in your confirmation email.' },
  { id: 'cr-shipping-zh', shortcut: 'shipping', locale: 'zh-CN', title: '物流进度', text: '您的包裹已发出，可通过确认短信中的物流链接查看实时进度。' },
  { id: 'cr-warranty-en', shortcut: 'warranty', locale: 'en', title: 'Warranty repair', text: 'Your device is covered by our 12-month warranty. I will book a free repair and send you a prepaid shipping label.' },
  { id: 'cr-warranty-zh', shortcut: 'warranty', locale: 'zh-CN', title: '保修维修', text: '您的设备在12个月保修期内，我将为您安排免费维修，并发送预付运费的寄修单。' },
  { id: 'cr-closing-en', shortcut: 'thanks', locale: 'en', title: 'Closing', text: 'Thank you for contacting Kestrel Electronics, {customer.name}. Is there anything else I can do for you?' },
  { id: 'cr-closing-zh', shortcut: 'thanks', locale: 'zh-CN', title: '结束语', text: '感谢您联系红隼电子，{customer.name}。请问还有其他可以帮您的吗？' },
];

// ---------------------------------------------------------------------------------------------------------

/**
 * The demo seed (JSON-shaped, with relative timestamps). A new object on every call, so callers may change it.
 * Pass it to `new MemoryConnector({ seed })` or to `validateSeed()`.
 */
export function createDemoSeed(): Seed {
  const { conversations, messages } = toSeed([...THREADS, ...historyThreads()]);
  return {
    version: 1,
    agent: {
      id: AGENT_ID,
      name: AGENT_NAME,
      presence: 'available',
      capacity: [
        { channel: 'phone', max: 1 },
        { channel: 'webchat', max: 4 },
        { channel: 'email', max: 8 },
        { channel: 'sms', max: 4 },
        { channel: 'wechat', max: 5 },
        { channel: 'douyin', max: 3 },
      ],
      queues: ['q-general', 'q-orders', 'q-tech', 'q-vip', 'q-social'],
      role: 'supervisor',
    },
    agents: [
      { id: 'agent-marcus', name: AGENT_NAMES['agent-marcus'] ?? 'Marcus Reid', presence: 'available', role: 'agent' },
      { id: 'agent-yuki', name: AGENT_NAMES['agent-yuki'] ?? 'Yuki Tanaka', presence: 'busy', role: 'agent' },
      { id: 'agent-liu', name: AGENT_NAMES['agent-liu'] ?? '刘洋', presence: 'available', role: 'agent' },
      { id: 'agent-priya', name: AGENT_NAMES['agent-priya'] ?? 'Priya Nair', presence: 'break', role: 'trainee' },
      { id: 'agent-zhou', name: AGENT_NAMES['agent-zhou'] ?? '周婷', presence: 'offline', role: 'supervisor' },
    ],
    // The demo signs in as a supervisor; `?role=agent` or `?role=trainee` on the demo page tries the others.
    roles: [
      {
        id: 'supervisor',
        name: 'Supervisor',
        permissions: ['view-pii', 'reveal-pii', 'edit-customer', 'merge-customers', 'edit-tickets', 'transfer-conversations', 'use-phone', 'record-calls'],
      },
      {
        id: 'agent',
        name: 'Agent',
        permissions: ['reveal-pii', 'edit-customer', 'edit-tickets', 'transfer-conversations', 'use-phone', 'record-calls'],
      },
      { id: 'trainee', name: 'Trainee', permissions: ['use-phone'] },
    ],
    queues: [
      { id: 'q-general', name: 'General support' },
      { id: 'q-orders', name: 'Orders & delivery' },
      { id: 'q-tech', name: 'Technical support' },
      { id: 'q-vip', name: 'VIP care' },
      { id: 'q-social', name: 'WeChat & Douyin' },
    ],
    customers: CUSTOMER_SPECS.map(buildCustomer),
    conversations,
    messages,
    tickets: TICKETS.map((ticket) => ({ ...ticket })),
    articles: articles(),
    cannedReplies: CANNED_REPLIES.map((reply) => ({ ...reply })),
  };
}
