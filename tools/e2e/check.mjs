// Drives headless Chromium through JupyterLab the way a reader would: open the notebook,
// Edit -> Clear Outputs of All Cells, Run -> Run All Cells, then look at what the page shows.
// Started by run.sh, which owns the server; all settings come in through E2E_* variables.
// Exit status: 0 all checks passed, 1 the notebook failed a check, 2 the check itself could
// not run (server, browser or kernel did not start).
import { chromium } from 'playwright-core';

const env = process.env;
const t0 = Number(env.E2E_T0_MS);
const port = env.E2E_PORT;
const token = env.E2E_TOKEN;
const notebook = env.E2E_NOTEBOOK;
const serverPid = Number(env.E2E_SERVER_PID);
const runTimeoutMs = Number(env.E2E_TIMEOUT) * 1000;
const base = `http://127.0.0.1:${port}`;

const PNG_SELECTOR = '.jp-OutputArea-output img[src^="data:image/png"]';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

class CheckFailed extends Error {}
const fail = (msg) => {
  throw new CheckFailed(msg);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const sinceStart = () => Date.now() - t0;
const log = (msg) => console.log(`e2e: ${msg}`);

function serverAlive() {
  try {
    process.kill(serverPid, 0);
    return true;
  } catch {
    return false;
  }
}

async function api(path) {
  const res = await fetch(`${base}${path}`, { headers: { Authorization: `token ${token}` } });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return res.json();
}

async function waitForServer(limitMs) {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (!serverAlive()) throw new Error('JupyterLab exited while starting (see the server log)');
    try {
      await api('/api/status');
      return;
    } catch {
      await sleep(250);
    }
  }
  throw new Error(`JupyterLab did not answer on ${base} within ${secs(limitMs)}`);
}

const isLoopback = (url) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);

// The kernel of our notebook as the server sees it, or null before it has started.
async function notebookKernel() {
  const sessions = await api('/api/sessions');
  const s = sessions.find((x) => x.path === notebook || x.path.endsWith(`/${notebook}`));
  return s ? s.kernel : null;
}

// Text of any modal dialog on screen (kernel died, kernel picker, ...), or null.
async function dialogText(page) {
  const dialog = page.locator('.jp-Dialog');
  if ((await dialog.count()) === 0) return null;
  return (await dialog.first().innerText()).replace(/\s+/g, ' ').trim();
}

// JupyterLab 4 asks once whether to fetch news; answer "No" (it blocks nothing either way, so a
// toast that is already fading out is left alone).
let newsDismissed = false;
async function dismissNewsToast(page) {
  if (newsDismissed) return;
  const no = page
    .locator('.Toastify__toast', { hasText: 'Jupyter news' })
    .getByRole('button', { name: 'No', exact: true });
  if ((await no.count()) === 0) return;
  try {
    await no.first().click({ timeout: 2000 });
    log('dismissed the "Jupyter news" toast (answered No)');
  } catch {
    // Gone before the click landed.
  }
  newsDismissed = true;
}

async function clickMenu(page, menu, item) {
  await page.locator('#jp-menu-panel .lm-MenuBar-itemLabel', { hasText: new RegExp(`^${menu}$`) }).click();
  const entry = page.locator('.lm-Menu:visible .lm-Menu-item:not(.lm-mod-disabled)', {
    has: page.locator('.lm-Menu-itemLabel', { hasText: new RegExp(`^${item}$`) }),
  });
  await entry.click({ timeout: 10000 });
}

// Everything the checks need, read from the page. Pictures and prompts are read from what is
// drawn; output types and texts from JupyterLab's own model of the cells (window.jupyterapp),
// because an error output and a stderr stream are drawn alike.
function readNotebook(notebookPath) {
  const app = window.jupyterapp;
  if (!app) return { problem: 'window.jupyterapp is missing (the server needs --LabApp.expose_app_in_browser=True)' };
  const panel = [...app.shell.widgets('main')].find((w) => w.context?.path === notebookPath && w.content?.widgets);
  if (!panel) return { problem: `no notebook tab for ${notebookPath} in the page` };
  const plain = (t) => (Array.isArray(t) ? t.join('') : String(t ?? '')).replace(/\x1b\[[0-9;]*m/g, '');
  const firstLine = (t) => t.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
  const cells = panel.content.widgets;
  const state = { cells: cells.length, codeCells: 0, ran: 0, running: 0, pngs: [], errors: [], panics: [] };
  cells.forEach((cell, i) => {
    if (cell.model.type !== 'code') return;
    const where = `cell ${i + 1}`;
    if (cell.model.sharedModel.getSource().trim() !== '') state.codeCells += 1;
    const prompt = cell.node.querySelector('.jp-InputArea-prompt')?.textContent ?? '';
    if (/\[\*\]/.test(prompt)) state.running += 1;
    if (/\[\d+\]/.test(prompt)) state.ran += 1;
    for (const out of cell.model.outputs.toJSON()) {
      if (out.output_type === 'error') {
        state.errors.push(`${where}: ${firstLine(plain((out.traceback ?? []).join('\n'))) || `${out.ename}: ${out.evalue}`}`);
      }
      const text = out.output_type === 'stream' ? plain(out.text) : plain(out.data?.['text/plain']);
      const panic = text.split('\n').find((l) => l.includes('panicked at'));
      if (panic) state.panics.push(`${where}: ${panic.trim()}`);
    }
    for (const img of cell.node.querySelectorAll('.jp-OutputArea-output img[src^="data:image/png"]')) {
      const shown = img.complete && img.naturalWidth > 0 && img.checkVisibility();
      state.pngs.push({ cell: i + 1, width: img.naturalWidth, height: img.naturalHeight, shown });
    }
  });
  return state;
}

// readNotebook in the page; a page that cannot be read is a failure of the check itself.
async function read(page) {
  const state = await page.evaluate(readNotebook, notebook);
  if (state.problem) throw new Error(state.problem);
  return state;
}

async function main() {
  await waitForServer(120_000);
  log(`server ready after ${secs(sinceStart())}`);

  const context = await chromium.launchPersistentContext(env.E2E_PROFILE, {
    executablePath: env.E2E_CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  const offHost = [];
  // Only this machine's loopback server may be reached; anything else is refused and reported.
  await context.route(
    (url) => !isLoopback(url),
    (route) => {
      offHost.push(route.request().url());
      return route.abort();
    },
  );
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));

  try {
    const url = `${base}/lab/tree/${encodeURIComponent(notebook)}`;
    await page.goto(`${url}?token=${token}`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    await page.locator('.jp-NotebookPanel .jp-Notebook .jp-Cell').first().waitFor({ timeout: 120_000 });
    log(`notebook open after ${secs(sinceStart())}`);

    // Wait for the Rust kernel the notebook asks for to come up idle.
    const kernelDeadline = Date.now() + 180_000;
    for (;;) {
      const kernel = await notebookKernel();
      if (kernel && kernel.name !== 'rust') fail(`the notebook started kernel '${kernel.name}', expected 'rust'`);
      if (kernel && kernel.execution_state === 'idle') break;
      const dialog = await dialogText(page);
      if (dialog) fail(`a dialog is in the way before running: "${dialog}"`);
      if (Date.now() > kernelDeadline) {
        throw new Error(`the Rust kernel did not become idle within 180 s (state: ${kernel ? kernel.execution_state : 'no kernel started'})`);
      }
      await sleep(250);
    }
    log(`Rust kernel idle after ${secs(sinceStart())}`);
    await dismissNewsToast(page);

    // Outputs committed in the notebook must not count: clear them, and make sure they are gone.
    await clickMenu(page, 'Edit', 'Clear Outputs of All Cells');
    const cleared = await read(page);
    if (cleared.pngs.length || cleared.errors.length || cleared.panics.length || cleared.ran) {
      fail('outputs or execution counts were still shown after Edit -> Clear Outputs of All Cells');
    }

    const tRun = Date.now();
    await clickMenu(page, 'Run', 'Run All Cells');
    log('clicked Run -> Run All Cells');

    let firstPlotMs = null;
    let sawRunning = false;
    let idleStreak = 0;
    let state;
    for (;;) {
      state = await read(page);
      if (state.running > 0) sawRunning = true;
      if (firstPlotMs === null && state.pngs.some((p) => p.shown && p.width > 0)) {
        firstPlotMs = sinceStart();
        log(`first PNG plot visible ${secs(firstPlotMs)} after server start (${secs(Date.now() - tRun)} after Run All)`);
      }
      await dismissNewsToast(page);
      const dialog = await dialogText(page);
      if (dialog) fail(`a dialog appeared while running: "${dialog}"`);
      const kernel = await notebookKernel();
      if (!kernel) fail('the notebook has no kernel any more');
      if (['dead', 'restarting'].includes(kernel.execution_state)) {
        fail(`the kernel is ${kernel.execution_state} (it crashed or was restarted; all state is lost)`);
      }
      const settled = state.running === 0 && kernel.execution_state === 'idle';
      idleStreak = settled && (sawRunning || Date.now() - tRun > 5000) ? idleStreak + 1 : 0;
      if (idleStreak >= 3) break;
      if (Date.now() - tRun > runTimeoutMs) {
        fail(`Run All Cells had not finished after ${secs(runTimeoutMs)} (${state.ran}/${state.codeCells} code cells ran, ${state.running} still queued or running; raise E2E_TIMEOUT for a cold kernel)`);
      }
      await sleep(250);
    }
    const doneMs = sinceStart();

    const shot = page.locator(PNG_SELECTOR).first();
    if ((await shot.count()) > 0) {
      await shot.scrollIntoViewIfNeeded();
      await sleep(300);
    }
    await page.screenshot({ path: env.E2E_SCREENSHOT });

    const problems = [];
    for (const e of state.errors) problems.push(`error output shown in ${e}`);
    for (const p of state.panics) problems.push(`panic shown in ${p}`);
    if (state.ran < state.codeCells) problems.push(`only ${state.ran} of ${state.codeCells} code cells ran`);
    const shown = state.pngs.filter((p) => p.shown && p.width > 0);
    if (shown.length === 0) problems.push(`no PNG plot visible (${PNG_SELECTOR})`);

    log(`checked: ${state.ran}/${state.codeCells} code cells ran, all done ${secs(doneMs)} after server start`);
    log(`checked: ${shown.length} PNG plot(s) visible (${shown.map((p) => `cell ${p.cell}: ${p.width}x${p.height}`).join(', ') || 'none'})`);
    log(`checked: ${state.errors.length} error output(s), ${state.panics.length} 'panicked at' message(s)`);
    if (firstPlotMs !== null) log(`time from server start to first plot: ${secs(firstPlotMs)}`);
    if (offHost.length) log(`refused ${offHost.length} request(s) to other hosts: ${[...new Set(offHost)].join(', ')}`);
    if (pageErrors.length) log(`page errors (not fatal): ${pageErrors.slice(0, 3).join(' | ')}`);
    log(`screenshot: ${env.E2E_SCREENSHOT}`);
    if (problems.length) fail(`${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
  } catch (e) {
    await page.screenshot({ path: env.E2E_SCREENSHOT }).catch(() => {});
    throw e;
  } finally {
    await context.close();
  }
}

// run.sh stops us with SIGTERM on Ctrl-C or failure; close the browser on the way out.
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(2));

main().then(
  () => process.exit(0),
  (e) => {
    if (e instanceof CheckFailed) {
      console.error(`e2e: FAIL: ${e.message}`);
      process.exit(1);
    }
    // Playwright appends a long call log to its messages; the first lines say what went wrong.
    const message = String(e.message || e).split('\nCall log:')[0];
    console.error(`e2e: FAIL: could not run the check: ${message}`);
    process.exit(2);
  },
);
