import { expect } from '@esm-bundle/chai';
import type { Subscription } from 'rxjs';
import type { ConnectorEvent } from '../connector.js';
import { ConnectorError } from '../errors.js';
import { PiiMasker, maskEmail, maskHandle, maskPhone } from '../masking.js';
import { PERMISSIONS } from '../model.js';
import { MemoryConnector } from './memory-connector.js';
import type { MemoryConnectorOptions } from './memory-connector.js';
import { SeedError, validateSeed, type Seed } from './seed.js';
import { CLEAR, EMAIL, MEMBER, PHONE, PHONE_DIGITS, WECHAT, accessSeed as seed } from '../../../test/fixtures/access-seed.js';

const harnesses: { connector: MemoryConnector; subscription: Subscription }[] = [];

async function connected(role: string, options: MemoryConnectorOptions = {}): Promise<{ connector: MemoryConnector; events: ConnectorEvent[] }> {
  const connector = new MemoryConnector({ seed: seed(role), deliveryDelayMs: 5, ...options });
  const events: ConnectorEvent[] = [];
  harnesses.push({ connector, subscription: connector.events$.subscribe((event) => events.push(event)) });
  await connector.connect();
  return { connector, events };
}

afterEach(async () => {
  for (const { connector, subscription } of harnesses.splice(0)) {
    subscription.unsubscribe();
    await connector.disconnect();
  }
});

/** The clear values found anywhere in a JSON-serialisable value. */
function leaks(value: unknown): string[] {
  const text = JSON.stringify(value);
  return CLEAR.filter((clear) => text.includes(clear));
}

/** Everything a desk reads: one of each command that answers records. */
async function readEverything(connector: MemoryConnector): Promise<unknown[]> {
  return [
    await connector.snapshot(),
    await connector.getCustomer('c-ada'),
    await connector.findCustomers({ kind: 'phone', value: PHONE_DIGITS }),
    await connector.listDuplicateCandidates('c-ada'),
    await connector.listConversations({}),
    await connector.getConversation('conv-mail'),
    await connector.listMessages('conv-mail', {}),
    await connector.listMessages('conv-chat', {}),
    await connector.listCustomerConversations('c-ada'),
    await connector.listTickets('c-ada'),
    await connector.getTicket('T-1'),
  ];
}

async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ConnectorError);
    return (error as ConnectorError).code;
  }
  throw new Error('Expected the command to be refused, but it succeeded');
}

describe('masking helpers', () => {
  it('keep the ends of a value and hide the middle', () => {
    expect(maskPhone('13800135678')).to.equal('138****5678');
    expect(maskPhone('+86 138 0013 5678')).to.equal('+86 138 **** 5678');
    expect(maskEmail('jane.doe@example.com')).to.equal('j***@example.com');
    expect(maskHandle('M-204188')).to.equal('M-****88');
    expect(maskHandle('abc')).to.equal('***');
  });
});

describe('free-text masking against evasions', () => {
  const masker = (): PiiMasker => {
    const pii = new PiiMasker();
    pii.learn([{ kind: 'phone', value: PHONE }, { kind: 'wechat', value: WECHAT }]);
    return pii;
  };
  const digitsOf = (text: string): string => text.replace(/[^0-9０-９]/g, '');

  it('finds phone numbers split by Unicode spaces, dashes, zero-width characters or written in full-width digits', () => {
    const pii = masker();
    const written = [
      '138\u00a00013\u00a05678', '138\u20130013\u20135678', '138\u30000013\u30005678', '138\u202f0013\u20095678',
      '138\u200b0013\u200b5678', '１３８００１３５６７８', '(+86)\u00a0138-0013-5678', '+86\u2014138\u20140013\u20145678',
    ];
    for (const text of written) {
      const masked = pii.text(`Call ${text} today`);
      expect(digitsOf(masked), text).to.not.include('0013');
      expect(masked, text).to.include('5678');
    }
  });

  it('masks addresses hidden by zero-width or full-width characters', () => {
    const pii = masker();
    expect(pii.text('ada\u200b@example.com')).to.equal('a***@example.com');
    expect(pii.text('ada＠example.com')).to.equal('a***@example.com');
  });

  it('masks payment cards (Luhn), PRC id numbers and labelled id numbers, and leaves order numbers readable', () => {
    const pii = masker();
    expect(pii.text('Card 4111 1111 1111 1111, exp 12/29')).to.equal('Card **** **** **** 1111, exp 12/29');
    expect(pii.text('Card 4111-1111-1111-1112')).to.equal('Card 4111-1111-1111-1112');
    expect(pii.text('身份证：11010519491231002X')).to.equal('身份证：11**************2X');
    expect(pii.text('ID 110105194912310021 attached')).to.equal('ID 11**************21 attached');
    expect(pii.text('Passport no. E12345678, SSN 123-45-6789')).to.equal('Passport no. E1*****78, SSN ***-**-6789');
    expect(pii.text('ID number: 987654321')).to.equal('ID number: 98*****21');
    expect(pii.text('Order 20240501123 and 123456789012 shipped')).to.equal('Order 20240501123 and 123456789012 shipped');
  });

  it('masks email HTML as it renders: after decoding references, across tags, in links and attributes', () => {
    const pii = masker();
    const cases: [string, string][] = [
      ['<p>ada&#64;example.com</p>', '<p>a***@example.com</p>'],
      ['<p>ada&#x40;example&period;com</p>', '<p>a***@example.com</p>'],
      ['<p>ada&commat;example.com</p>', '<p>a***@example.com</p>'],
      ['<p>ada@<b></b>example.com</p>', '<p>a***@example.com<b></b></p>'],
      ['<p>a<span>da</span>@exa<i>mple</i>.com</p>', '<p>a***@example.com<span></span><i></i></p>'],
      ['<p>Call 138&nbsp;0013&nbsp;5678</p>', '<p>Call 138 **** 5678</p>'],
      ['<p>Call 138&#8211;0013&ndash;5678</p>', '<p>Call 138-****-5678</p>'],
      ['<p>Call 138<br>0013 5678</p>', '<p>Call 138**** 5678<br></p>'],
      ['<a href="mailto:ada%40example.com">write</a>', '<a href="mailto:a***@example.com">write</a>'],
      ['<a href="MAILTO:ada&#64;example.com">write</a>', '<a href="MAILTO:a***@example.com">write</a>'],
      ["<a href='tel:+8613800135678'>call</a>", '<a href="tel:+86*******5678">call</a>'],
      ['<a href="tel:5550199">call</a>', '<a href="tel:***0199">call</a>'],
      ['<img alt="ada@example.com" title=wxid_adaking src="x.png">', '<img alt="a***@example.com" title="wx********ng" src="x.png">'],
      ['<!-- ada@example.com --><p>hi</p>', '<p>hi</p>'],
      ['<p>Tom &amp; Jerry &lt;3</p>', '<p>Tom &amp; Jerry &lt;3</p>'],
    ];
    for (const [html, masked] of cases) expect(pii.html(html), html).to.equal(masked);
    // What a browser makes of the masked markup holds no clear value either.
    const tricky = '<p>ada&#64;example.com, ada@<b></b>example.com, 138&nbsp;0013&nbsp;5678 <a href="mailto:ada%40example.com">x</a></p>';
    const rendered = new DOMParser().parseFromString(pii.html(tricky), 'text/html').body;
    expect(rendered.textContent).to.not.match(/ada@example\.com|0013/);
    expect(rendered.innerHTML).to.not.match(/ada(@|%40)example\.com|0013/);
  });

  it('masks tags, attachment names and URLs, recording URLs, and an avatar URL that holds a value', async () => {
    const base = seed('agent');
    const { connector } = await connected('agent', {
      seed: {
        ...base,
        customers: (base.customers ?? []).map((customer) =>
          customer.id === 'c-ada' ? { ...customer, tags: ['vip', `callback ${PHONE_DIGITS}`], avatarUrl: `https://img.example/${EMAIL}.png` } : customer,
        ),
        messages: [
          ...(base.messages ?? []),
          {
            conversationId: 'conv-chat',
            direction: 'inbound',
            text: 'My id card',
            sentAt: '-1m',
            attachments: [{ id: 'at-1', name: `id-${PHONE_DIGITS}.jpg`, mimeType: 'image/jpeg', size: 10, url: `https://files.example/${encodeURIComponent(EMAIL)}/id.jpg` }],
          },
        ],
      },
    });
    const customer = await connector.getCustomer('c-ada');
    expect(customer.tags).to.deep.equal(['vip', 'callback 138****5678']);
    expect(customer.avatarUrl).to.equal(null);
    const chat = await connector.listMessages('conv-chat', {});
    expect(leaks(chat)).to.deep.equal([]);
    expect(JSON.stringify(chat)).to.not.include(encodeURIComponent(EMAIL));
    expect(chat.items.at(-1)?.attachments[0]?.name).to.equal('id-138****5678.jpg');
    // Editing the tags keeps the clear ones it sent back masked.
    await connector.updateCustomer('c-ada', { tags: [...customer.tags, 'new'] });
    const clear = await connector.runAs([...PERMISSIONS], (self) => self.getCustomer('c-ada'));
    expect(clear.tags).to.deep.equal(['vip', `callback ${PHONE_DIGITS}`, 'new']);
  });
});

describe('restoring masked values', () => {
  it('refuses a masked value that stands for two clear ones, instead of guessing', async () => {
    const base = seed('agent');
    const { connector } = await connected('agent', {
      seed: {
        ...base,
        messages: [
          ...(base.messages ?? []),
          { conversationId: 'conv-mail', direction: 'inbound', text: 'Also cc my colleague', sentAt: '-1m', email: { subject: 'Refund', from: 'anna@example.com', to: ['support@shop.example'] } },
        ],
      },
    });
    const reply = connector.sendMessage({ conversationId: 'conv-mail', text: 'Refund sent.', email: { subject: 'Re: Refund', to: ['a***@example.com'], cc: [] } });
    let refusal: unknown;
    try {
      await reply;
    } catch (error) {
      refusal = error;
    }
    expect(refusal).to.be.instanceOf(ConnectorError);
    expect((refusal as ConnectorError).code).to.equal('conflict');
    expect((refusal as ConnectorError).message).to.contain('"a***@example.com" stands for 2 different values');
    const thread = await connector.runAs([...PERMISSIONS], (self) => self.listMessages('conv-mail', {}));
    expect(thread.items.some((message) => message.text === 'Refund sent.'), 'nothing was sent').to.equal(false);
    // An unambiguous one is still restored.
    const pii = new PiiMasker();
    expect(pii.restore('to a***@example.com', ['ada@example.com', 'bob@example.com'])).to.equal('to ada@example.com');
  });
});

describe('search as a role without view-pii', () => {
  it('matches conversation text against what the role is shown, not the clear values', async () => {
    const { connector } = await connected('agent');
    expect((await connector.listConversations({ text: '13912345678' })).items.map((item) => item.id)).to.deep.equal([]);
    expect((await connector.listConversations({ text: '2345678' })).items.map((item) => item.id)).to.deep.equal([]);
    expect((await connector.listConversations({ text: '139****5678' })).items.map((item) => item.id)).to.deep.equal(['conv-chat']);
    expect((await connector.listConversations({ text: 'order 20240501123' })).items.map((item) => item.id)).to.deep.equal(['conv-chat']);
    const supervisor = await connected('supervisor');
    expect((await supervisor.connector.listConversations({ text: '13912345678' })).items.map((item) => item.id)).to.deep.equal(['conv-chat']);
  });
});

describe('MemoryConnector: PII masked at the source', () => {
  it('a role with view-pii reads every value in clear (the scan can find them)', async () => {
    const { connector } = await connected('supervisor');
    const found = leaks(await readEverything(connector));
    expect(found).to.include.members([PHONE, EMAIL, MEMBER, WECHAT, '138 0013 5678', '13912345678']);
    expect((await connector.getAgent()).permissions).to.deep.equal([...PERMISSIONS]);
  });

  it('a role without view-pii gets no clear value from any read, and still finds a customer by phone', async () => {
    const { connector } = await connected('agent');
    const everything = await readEverything(connector);
    expect(leaks(everything)).to.deep.equal([]);
    const customer = await connector.getCustomer('c-ada');
    expect(customer.identities.map((identity) => identity.value)).to.deep.equal([
      '+86 138 **** 5678',
      'a***@example.com',
      'M-****88',
      'wx********ng',
      'v-77aa',
    ]);
    expect(customer.notes).to.equal('Prefers calls on 138****5678; member M-****88.');
    const found = await connector.findCustomers({ kind: 'phone', value: PHONE_DIGITS });
    expect(found.map((match) => match.id)).to.deep.equal(['c-ada']);
    const chat = await connector.listMessages('conv-chat', {});
    // A number the backend does not know as a phone (an order number) stays readable.
    expect(chat.items[0]?.text).to.equal('My new number is 139****5678, order 20240501123.');
    expect((await connector.getAgent()).permissions).to.deep.equal(['reveal-pii', 'edit-customer', 'edit-tickets', 'transfer-conversations']);
  });

  it('pushes every event masked for that role', async () => {
    const { connector, events } = await connected('agent');
    await connector.updateCustomer('c-ada', { tags: ['vip'] });
    await connector.createTicket({ customerId: 'c-ada', subject: `Call ${PHONE}`, description: `Mail ${EMAIL}` });
    await connector.sendMessage({ conversationId: 'conv-mail', text: 'We are on it.' });
    connector.simulateInboundMessage('conv-chat', `Again: ${PHONE_DIGITS}`);
    expect(events.map((event) => event.type)).to.include.members(['customer.updated', 'ticket.upserted', 'message.added', 'conversation.upserted']);
    expect(leaks(events)).to.deep.equal([]);
  });

  it('keeps clear values when a masked agent edits around them, and replies to the clear address', async () => {
    const { connector } = await connected('agent');
    const masked = await connector.getCustomer('c-ada');
    await connector.updateCustomer('c-ada', { notes: `${masked.notes} Call after 6 pm.` });
    const message = await connector.sendMessage({ conversationId: 'conv-mail', text: 'Refund sent.', email: { subject: 'Re: Refund', to: ['a***@example.com'], cc: [] } });
    expect(message.email?.to).to.deep.equal(['a***@example.com']);
    // The same backend as a supervisor sees it.
    const clear = await connector.runAs([...PERMISSIONS], async (self) => ({
      customer: await self.getCustomer('c-ada'),
      thread: await self.listMessages('conv-mail', {}),
    }));
    expect(clear.customer.notes).to.equal(`Prefers calls on ${PHONE_DIGITS}; member ${MEMBER}. Call after 6 pm.`);
    expect(clear.thread.items.at(-1)?.email?.to).to.deep.equal([EMAIL]);
  });

  it('keeps clear values in a ticket a masked agent creates from what they were shown', async () => {
    const { connector } = await connected('agent');
    const shown = (await connector.listMessages('conv-mail', {})).items.map((message) => message.text).join('\n');
    expect(leaks(shown)).to.deep.equal([]);
    const created = await connector.createTicket({ customerId: 'c-ada', subject: `Call back: ${shown.slice(0, 60)}`, description: shown, conversationIds: ['conv-mail'] });
    expect(leaks(created), 'the answer to the masked agent').to.deep.equal([]);
    const stored = await connector.runAs([...PERMISSIONS], (self) => self.getTicket(created.id));
    expect(stored.description).to.include('138 0013 5678').and.to.include(EMAIL);
    expect(stored.subject).to.include('138 0013 5678');
  });

  it('reveals one identity for a role with reveal-pii, and refuses a role without it', async () => {
    const { connector } = await connected('agent');
    const phone = (await connector.getCustomer('c-ada')).identities[0];
    if (!phone) throw new Error('The customer has no phone');
    expect(await connector.revealIdentity('c-ada', phone)).to.deep.equal({ kind: 'phone', value: PHONE });
    expect(await rejectionCode(connector.revealIdentity('c-ada', { kind: 'phone', value: '+86 999 **** 0000' }))).to.equal('not-found');

    const trainee = await connected('trainee');
    const traineePhone = (await trainee.connector.getCustomer('c-ada')).identities[0];
    if (!traineePhone) throw new Error('The customer has no phone');
    expect(await rejectionCode(trainee.connector.revealIdentity('c-ada', traineePhone))).to.equal('forbidden');
  });

  it('refuses the commands a role lacks with forbidden', async () => {
    const { connector } = await connected('trainee');
    expect(await rejectionCode(connector.updateCustomer('c-ada', { tags: ['x'] }))).to.equal('forbidden');
    expect(await rejectionCode(connector.createTicket({ customerId: 'c-ada', subject: 'x', description: '' }))).to.equal('forbidden');
    expect(await rejectionCode(connector.commentTicket('T-1', { body: 'x', internal: true }))).to.equal('forbidden');
    expect(await rejectionCode(connector.updateTicket('T-1', { baseVersion: 1, priority: 'high' }))).to.equal('forbidden');
    expect(await rejectionCode(connector.assignConversation('conv-chat', { kind: 'queue', queueId: 'q-1' }))).to.equal('forbidden');
    expect(await rejectionCode(connector.mergeCustomers('c-ada', 'c-ada'))).to.equal('forbidden');
    expect(await connector.getTelephonyConfig()).to.equal(null);
  });

  it('a seed without roles restricts nothing and reports no permissions', async () => {
    const plain = { ...seed('supervisor'), roles: undefined, agent: { id: 'a-1', name: 'Lin' }, agents: [] };
    const connector = new MemoryConnector({ seed: plain });
    await connector.connect();
    const agent = await connector.getAgent();
    expect(agent.permissions).to.equal(undefined);
    expect(leaks(await connector.getCustomer('c-ada'))).to.include(PHONE);
    await connector.disconnect();
  });

  it('the role option overrides the seed agent role, and an unknown role is refused', async () => {
    const { connector } = await connected('supervisor', { role: 'trainee' });
    expect((await connector.getAgent()).permissions).to.deep.equal([]);
    expect(() => new MemoryConnector({ seed: seed('supervisor'), role: 'boss' })).to.throw(ConnectorError, /"boss" is not one of the seed's roles/);
  });
});

describe('seed roles', () => {
  it('names the bad field in a readable error', () => {
    const bad = (mutate: (value: Seed) => unknown): string => {
      try {
        validateSeed(mutate(seed('agent')));
      } catch (error) {
        expect(error).to.be.instanceOf(SeedError);
        return (error as SeedError).message;
      }
      throw new Error('The seed was accepted');
    };
    expect(bad((value) => ({ ...value, agent: { ...value.agent, role: 'boss' } }))).to.equal(
      'Seed is invalid at agent.role: expected the id of a role in roles but found "boss"',
    );
    expect(bad((value) => ({ ...value, roles: [{ id: 'x', permissions: ['fly'] }] }))).to.contain('roles[0].permissions[0]: expected one of view-pii, reveal-pii');
    expect(bad((value) => ({ ...value, roles: [{ id: 'x' }] }))).to.equal(
      'Seed is invalid at roles[0].permissions: expected an array of permissions (it may be empty) but found nothing',
    );
    expect(bad((value) => ({ ...value, roles: [{ id: 'x', permissions: [] }, { id: 'x', permissions: [] }] }))).to.contain('the role id "x" is already used');
  });
});
