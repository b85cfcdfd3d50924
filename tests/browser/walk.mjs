// walk.mjs REPORT.html NAME - steps through report.html's "Step through
// it" in Debian's headless Chromium, driven by playwright-core (no browser
// download: /usr/bin/chromium), with JavaScript and without; prints one
// "ok ..." line per check and exits 1 at the first that fails.
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';

const [report, name] = process.argv.slice(2);
const url = 'file://' + resolve(report);
const flags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-extensions', '--host-resolver-rules=MAP * ~NOTFOUND'];

function check(ok, what) {
  if (!ok) {
    console.log('not ok ' + what);
    throw new Error(what);
  }
  console.log('ok ' + what);
}

// The card on screen: its index, kind, frame and both sockets' states.
async function shown(page) {
  const cards = await page.$$eval('#walk .ev', els => els
    .map((e, i) => ({ i, visible: getComputedStyle(e).display !== 'none',
      kind: e.dataset.kind, frame: Number(e.dataset.frame), text: e.innerText,
      states: [...e.querySelectorAll('.state')].map(s => s.textContent) }))
    .filter(c => c.visible));
  return cards;
}

async function withJs(browser) {
  const page = await browser.newPage();
  await page.goto(url);
  let v = await shown(page);
  check(v.length === 1 && v[0].i === 0, 'with JavaScript one card shows, the first');
  const n = await page.$$eval('#walk .ev', els => els.length);
  check((await page.textContent('#walk-pos')) === `1 / ${n}`, 'the position reads 1 / ' + n);
  // arrow keys until the packet that carries the name
  let steps = 0;
  while (steps < n && !(v[0].kind === 'packet' && v[0].text.includes(name))) {
    await page.keyboard.press('ArrowRight');
    v = await shown(page);
    check(v.length === 1 && v[0].i === steps + 1, `ArrowRight shows card ${steps + 2}`);
    steps++;
  }
  check(v[0].kind === 'packet' && v[0].text.includes('PSH, ACK'), `card ${v[0].i + 1} is frame ${v[0].frame}, the name's packet`);
  check(v[0].states[0] === 'ESTABLISHED' && v[0].states[1] === 'ESTABLISHED',
    'at that moment both sockets are ESTABLISHED: ' + v[0].states.join(', '));
  check(v[0].text.includes('LISTEN'), 'and the server\'s listener LISTEN');
  check(/name and a newline|byte stream/.test(v[0].text), 'with its explanation');
  // the buttons
  await page.click('#walk-prev');
  let back = await shown(page);
  check(back[0].i === v[0].i - 1, 'the previous button goes back one');
  await page.click('#walk-next');
  check((await shown(page))[0].i === v[0].i, 'the next button forward again');
  await page.keyboard.press('ArrowLeft');
  check((await shown(page))[0].i === v[0].i - 1, 'ArrowLeft goes back one');
  // the first packet: the SYN, before the client's socket is in the table
  await page.goto('about:blank');
  await page.goto(url + '#ev-1');
  for (let k = 0; k < n; k++) {
    v = await shown(page);
    if (v[0].kind === 'packet') break;
    await page.keyboard.press('ArrowRight');
  }
  check(v[0].frame === 1 && v[0].text.includes('[SYN]'), 'the first packet is the SYN (frame 1)');
  check(v[0].states[0] !== 'ESTABLISHED', 'and the client socket is not ESTABLISHED yet: ' + v[0].states[0]);
  await page.close();
}

async function withoutJs(browser) {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(url);
  let v = await shown(page);
  check(v.length === 1 && v[0].i === 0, 'without JavaScript the first card shows');
  check(await page.isHidden('#walk-bar'), 'and the buttons stay hidden');
  await page.click('#ev-1 a[rel=next]');
  v = await shown(page);
  check(v.length === 1 && v[0].i === 1, 'its next link shows the second card');
  await page.goto('about:blank');
  await page.goto(url + '#ev-5');
  v = await shown(page);
  check(v.length === 1 && v[0].i === 4, 'a link to #ev-5 shows the fifth');
  check((await page.$$('#timeline tbody tr')).length > 0, 'the time line table is there as before');
  await ctx.close();
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: flags, headless: true,
  timeout: 60000 });
let failed = 0;
try {
  await withJs(browser);
  await withoutJs(browser);
} catch (e) {
  console.log('# ' + e.message);
  failed = 1;
} finally {
  await browser.close();
}
process.exit(failed);
