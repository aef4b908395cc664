// Loads a page in headless Chromium with QUIC forced for the origin and prints
// {"status":..., "protocol":..., "body":...} as JSON. Usage: node h3-check.js <url> <spki-sha256-base64> <host:port>
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

async function main() {
  const [url, spki, origin] = process.argv.slice(2);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portcullis-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      `--origin-to-force-quic-on=${origin}`,
      // The server listens on 127.0.0.1 only; without this Chromium may try ::1 first.
      '--host-resolver-rules=MAP localhost 127.0.0.1',
      `--ignore-certificate-errors-spki-list=${spki}`,
    ],
  });
  try {
    const page = context.pages()[0] || await context.newPage();
    const response = await page.goto(url, { timeout: 20000 });
    const protocol = await page.evaluate(() => performance.getEntriesByType('navigation')[0].nextHopProtocol);
    const body = await page.evaluate(() => document.body.innerText);
    process.stdout.write(JSON.stringify({ status: response.status(), protocol, body }) + '\n');
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
});
