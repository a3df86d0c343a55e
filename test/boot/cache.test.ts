// The default image and the firmware in the cache folder
// (firmware/build.ts): `tessera boot` with no disk builds the default image
// on first use (saying so on stderr before and after), boots it again
// without rebuilding, and rebuilds it when a module's source changes; the
// firmware is rebuilt when firmware.s changes (and the image is not). The
// stamp logic is the same for the real system's image and the demo set's;
// these tests use the demo set (BuildPlace.modules 'demo', assembled in
// milliseconds) from a scratch copy of firmware/, so the edits never touch
// the repository. The real image is test/system/image.test.ts's.

import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BootError, boot } from '../../cli/boot_cmd.ts';
import {
  DEFAULT_IMAGE_SIZE, IMAGE_INPUTS, FIRMWARE_INPUTS, SYSTEM_IMAGE_INPUTS, REPO_ROOT, defaultImage, firmwareElf, inputsHash, type BuildPlace,
} from '../../firmware/build.ts';
import { FakeIo, scratch } from './harness.ts';

const tmp = scratch('cache');
const root = tmp.path('repo');
const cacheDir = tmp.path('cache');
const place: BuildPlace = { root, cacheDir, modules: 'demo' };
const img = join(cacheDir, 'default.img');
const fwElf = join(cacheDir, 'firmware.elf');

beforeAll(() => {
  mkdirSync(join(root, 'firmware'), { recursive: true });
  for (const f of FIRMWARE_INPUTS.filter((i) => i.startsWith('firmware/'))) cpSync(join(REPO_ROOT, f), join(root, f)); // firmware.s and its includes
  cpSync(join(REPO_ROOT, 'firmware/demo'), join(root, 'firmware/demo'), { recursive: true });
});

/** `tessera boot` with no disk: echo, then shutdown. */
async function bootDefault(): Promise<{ code: number; out: string; err: string }> {
  const io = new FakeIo();
  io.type('echo hi\nshutdown\n', true);
  const code = await boot(undefined, {}, io, place);
  await new Promise((r) => setImmediate(r));
  return { code, out: io.out, err: io.err };
}

const edit = (path: string, from: string, to: string): void => {
  const p = join(root, path);
  const text = readFileSync(p, 'utf8');
  expect(text).toContain(from);
  writeFileSync(p, text.replace(from, to));
};
const mtime = (p: string): number => statSync(p).mtimeMs;

describe('the default image', () => {
  it('is built on first use, and says so on stderr', async () => {
    const r = await bootDefault();
    expect(r.err).toBe(`tessera: building the default image (first use) ...\ntessera: built the default image ${img}\n`);
    expect(r.out).toContain('Tessera booted: 3 modules\n$ echo hi\nhi\n$ shutdown\n');
    expect(r.code).toBe(0);
    expect(statSync(img).size).toBe(DEFAULT_IMAGE_SIZE);
    expect(readFileSync(`${img}.stamp`, 'utf8').trim()).toBe(`demo ${inputsHash(root, IMAGE_INPUTS)}`);
  });

  it('is booted as it is when nothing changed', async () => {
    const before = [mtime(img), mtime(fwElf)];
    const r = await bootDefault();
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect([mtime(img), mtime(fwElf)]).toEqual(before);
    expect(await defaultImage(place)).toEqual({ path: img, built: false });
  });

  it('is rebuilt when a module\'s source changes, and boots the new module', async () => {
    const fw = mtime(fwElf);
    edit('firmware/demo/init.s', 'Tessera booted: ', 'Tessera rebooted: ');
    const r = await bootDefault();
    expect(r.err).toBe(`tessera: rebuilding the default image (its sources changed) ...\ntessera: built the default image ${img}\n`);
    expect(r.out).toContain('Tessera rebooted: 3 modules\n');
    expect(r.code).toBe(0);
    expect(mtime(fwElf)).toBe(fw); // the firmware did not change
  });

  it('is rebuilt when a file the modules include changes', async () => {
    edit('firmware/demo/user.inc', '# user.inc:', '# user.inc (edited):');
    expect((await defaultImage(place)).built).toBe(true);
    expect((await defaultImage(place)).built).toBe(false);
  });

  it('is rebuilt when it is gone, or its stamp is', async () => {
    rmSync(img);
    expect((await defaultImage(place)).built).toBe(true);
    writeFileSync(`${img}.stamp`, 'something else\n');
    expect((await defaultImage(place)).built).toBe(true);
    rmSync(`${img}.stamp`);
    expect((await defaultImage(place)).built).toBe(true);
    expect((await defaultImage(place)).built).toBe(false);
  });
});

describe('the firmware', () => {
  it('is reassembled when firmware.s changes, and the next boot runs it (the image stays)', async () => {
    const image = mtime(img);
    edit('firmware/firmware.s', '"Tessera boot firmware\\n"', '"Tessera boot firmware, edited\\n"');
    const r = await bootDefault();
    expect(r.out.startsWith('Tessera boot firmware, edited\nfirmware: loaded 3 modules: pm init tty\n')).toBe(true);
    expect(r.err).toBe('');
    expect(mtime(img)).toBe(image);
    expect(readFileSync(`${fwElf}.stamp`, 'utf8').trim()).toBe(inputsHash(root, FIRMWARE_INPUTS));
  });
});

describe('a cache folder that cannot be written', () => {
  it('the firmware is assembled in memory; the default image is one BootError line naming the folder', async () => {
    const blocked: BuildPlace = { root, cacheDir: join(tmp.save('a-file', new Uint8Array(1)), 'cache') }; // the real system's: fails before it builds
    const elf = await firmwareElf(blocked);
    expect([...elf.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    await expect(boot(undefined, {}, new FakeIo(), blocked)).rejects.toThrow(BootError);
    await expect(boot(undefined, {}, new FakeIo(), blocked)).rejects.toThrow(/^cannot build the default image in .*a-file.cache: ENOTDIR$/);
  });
});

describe('the inputs', () => {
  it('the hash covers names and bytes, and a missing input counts', () => {
    const a = inputsHash(root, ['firmware/demo']);
    edit('firmware/demo/tty.s', 'commands: echo TEXT', 'commands:  echo TEXT');
    expect(inputsHash(root, ['firmware/demo'])).not.toBe(a);
    expect(inputsHash(root, ['nothing/here'])).not.toBe(inputsHash(root, ['nothing/else']));
  });

  it('the images\' inputs name their modules\' sources and the tools; the firmware\'s name firmware.s', () => {
    expect(SYSTEM_IMAGE_INPUTS).toEqual(expect.arrayContaining(['servers', 'toolchain', 'kernel/privileges.ts', 'firmware/build.ts']));
    expect(IMAGE_INPUTS).toEqual(expect.arrayContaining(['firmware/demo', 'toolchain', 'firmware/build.ts']));
    expect(FIRMWARE_INPUTS).toContain('firmware/firmware.s');
  });

  it('the stamp names the set: an image of the other set with the same hash is rebuilt', async () => {
    await defaultImage(place);
    const stamp = readFileSync(`${img}.stamp`, 'utf8');
    expect(stamp.startsWith('demo ')).toBe(true);
    writeFileSync(`${img}.stamp`, stamp.replace(/^demo /, 'system '));
    expect((await defaultImage(place)).built).toBe(true);
    expect(readFileSync(`${img}.stamp`, 'utf8')).toBe(stamp);
  });
});
