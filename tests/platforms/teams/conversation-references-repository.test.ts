import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  disableConversationReference,
  disableTeamReferences,
  findConversationReference,
  findEnabledConversationReference,
  findPersonalReference,
  listConversationReferences,
  type StoredConversationReference,
  upsertConversationReference,
} from '../../../src/store/conversation-references-repository.js';
import { closeDatabase, type Db } from '../../../src/store/database.js';
import { findPersonByEmail, type Person } from '../../../src/store/people-repository.js';
import { DEMO, demoPlanDb } from '../../helpers/demo-plan-db.js';

const ref = (id: string, extra: Partial<StoredConversationReference> = {}): StoredConversationReference => ({
  channelId: 'msteams',
  serviceUrl: 'https://smba.trafficmanager.net/uk/',
  conversation: { id },
  bot: { id: '28:bot' },
  ...extra,
});

describe('conversation references repository', () => {
  let db: Db;
  let morgan: Person;
  beforeEach(async () => {
    ({ db } = await demoPlanDb());
    morgan = (await findPersonByEmail(db, DEMO.headOfSend)) as Person;
  });
  afterEach(async () => await closeDatabase(db));

  it('upserts by conversation id, keeping the linked person when a later call does not know it', async () => {
    await upsertConversationReference(db, { conversationId: 'a:1', conversationType: 'personal', personId: morgan.id, teamsUserId: '29:demo-03', serviceUrl: 'https://one/', reference: ref('a:1'), at: '2024-11-18T10:00:00.000Z' });
    const again = await upsertConversationReference(db, { conversationId: 'a:1', conversationType: 'personal', serviceUrl: 'https://two/', reference: ref('a:1', { serviceUrl: 'https://two/' }), at: '2024-11-19T10:00:00.000Z' });
    expect(again).toMatchObject({ personId: morgan.id, teamsUserId: '29:demo-03', serviceUrl: 'https://two/', updatedAt: '2024-11-19T10:00:00.000Z' });
    expect(again.reference.serviceUrl).toBe('https://two/');
    expect(await listConversationReferences(db)).toHaveLength(1);
  });

  it('disables and re-enables; disabled rows are not found for delivery', async () => {
    await upsertConversationReference(db, { conversationId: 'a:1', conversationType: 'personal', personId: morgan.id, serviceUrl: 'https://one/', reference: ref('a:1'), at: 't1' });
    expect((await findPersonalReference(db, morgan))?.conversationId).toBe('a:1');
    expect(await disableConversationReference(db, 'a:1', 'uninstalled', 't2')).toBe(true);
    expect(await disableConversationReference(db, 'a:1', 'again', 't3')).toBe(false);
    expect(await findConversationReference(db, 'a:1')).toMatchObject({ disabledAt: 't2', disabledReason: 'uninstalled' });
    expect(await findPersonalReference(db, morgan)).toBeUndefined();
    await upsertConversationReference(db, { conversationId: 'a:1', conversationType: 'personal', serviceUrl: 'https://one/', reference: ref('a:1'), at: 't4' });
    expect(await findPersonalReference(db, morgan)).toMatchObject({ disabledAt: null, disabledReason: null });
  });

  it('finds a personal chat by Teams user id when it was installed before the person was known', async () => {
    await upsertConversationReference(db, { conversationId: 'a:2', conversationType: 'personal', teamsUserId: '29:demo-03', serviceUrl: 'https://one/', reference: ref('a:2'), at: 't1' });
    expect((await findPersonalReference(db, morgan))?.conversationId).toBe('a:2');
    expect(await findPersonalReference(db, { id: morgan.id, teamsUserId: null })).toBeUndefined();
  });

  it('disables every channel of a team', async () => {
    for (const id of ['19:general@thread.tacv2', '19:board@thread.tacv2']) {
      await upsertConversationReference(db, { conversationId: id, conversationType: 'channel', serviceUrl: 'https://one/', reference: ref(id, { teamId: '19:general@thread.tacv2' }), at: 't1' });
    }
    await upsertConversationReference(db, { conversationId: '19:other@thread.tacv2', conversationType: 'channel', serviceUrl: 'https://one/', reference: ref('19:other@thread.tacv2', { teamId: '19:team2' }), at: 't1' });
    expect(await disableTeamReferences(db, '19:general@thread.tacv2', 'removed', 't2')).toBe(2);
    expect(await findEnabledConversationReference(db, '19:board@thread.tacv2')).toBeUndefined();
    expect(await findEnabledConversationReference(db, '19:other@thread.tacv2')).toBeDefined();
  });
});
