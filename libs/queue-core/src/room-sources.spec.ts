import { describe, expect, it } from 'vitest';
import { applyFileEntry, applyPatch, roomsFileSchema, type RoomState } from './index';

describe('room config precedence', () => {
  const fromFile = applyFileEntry(null, { maxActive: 50, admitPerMinute: 300 });

  it('creates a missing room from its file entry, every setting from the file', () => {
    expect(fromFile.config).toMatchObject({ maxActive: 50, admitPerMinute: 300, mode: 'queue', sessionSeconds: 600 });
    expect(new Set(Object.values(fromFile.sources))).toEqual(new Set(['file']));
    expect(fromFile.kept).toEqual([]);
  });

  it('an admin patch of one setting leaves the others and their sources alone', () => {
    const admin = applyPatch(fromFile, { maxActive: 7 }, 'admin');
    expect(admin.config).toEqual({ ...fromFile.config, maxActive: 7 });
    expect(admin.sources).toEqual({ ...fromFile.sources, maxActive: 'admin' });
    expect(admin.changed).toEqual(['maxActive']);
  });

  it('a reload takes the file for file-set settings and keeps what admin and decisions set', () => {
    const admin = applyPatch(fromFile, { maxActive: 7 }, 'admin');
    const decided: RoomState = applyPatch(admin, { mode: 'passthrough' }, 'decision');
    const reloaded = applyFileEntry(decided, { maxActive: 60, admitPerMinute: 900, sessionSeconds: 120 });
    expect(reloaded.config).toMatchObject({
      maxActive: 7,
      mode: 'passthrough',
      admitPerMinute: 900,
      sessionSeconds: 120,
    });
    expect(reloaded.sources).toMatchObject({ maxActive: 'admin', mode: 'decision', admitPerMinute: 'file' });
    expect(reloaded.kept.sort()).toEqual(['maxActive', 'mode']);
    expect(reloaded.changed.sort()).toEqual(['admitPerMinute', 'sessionSeconds']);
  });

  it('a room created by an admin before any file keeps its admin settings on reload', () => {
    const created = applyPatch(null, { maxActive: 3 }, 'admin');
    const reloaded = applyFileEntry(created, { maxActive: 40, admitPerMinute: 100 });
    expect(reloaded.config.maxActive).toBe(3);
    expect(reloaded.config.admitPerMinute).toBe(100);
  });

  it('compares an object setting by value: reloading the same join gate changes nothing', () => {
    const entry = { joinChallenge: { difficulty: 12 } };
    const created = applyFileEntry(null, entry);
    expect(created.config.joinChallenge).toEqual({ difficulty: 12 });
    expect(applyFileEntry(created, entry).changed).toEqual([]);
    expect(applyFileEntry(created, { joinChallenge: { difficulty: 13 } }).changed).toEqual(['joinChallenge']);
  });

  it('validates a rooms file, naming the bad field', () => {
    const bad = roomsFileSchema.safeParse({ rooms: { tickets: { maxActive: -1, colour: 'red' }, 'Bad Name': {} } });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['rooms.tickets.maxActive', 'rooms.tickets']));
    expect(bad.error!.issues.some((i) => i.path.join('.').startsWith('rooms.Bad Name'))).toBe(true);
    expect(roomsFileSchema.parse({ rooms: { tickets: { maxActive: 5 } } }).rooms['tickets']!.maxActive).toBe(5);
  });
});
