// Screenshots of the Aspire dashboard during a real `dotnet run --project AppHost`, for the README.
// Usage: node capture.mjs <dashboard login URL> <output folder>   (capture.sh starts the AppHost and calls this)
// puppeteer-core drives the system Chromium (Debian's `chromium` package); nothing is downloaded.
import puppeteer from 'puppeteer-core';

const [loginUrl, outDir = '.'] = process.argv.slice(2);
if (!loginUrl) {
  console.error('usage: node capture.mjs <dashboard login URL> <output folder>');
  process.exit(2);
}
const origin = new URL(loginUrl).origin;
const minutes = (n) => n * 60_000;

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
  defaultViewport: { width: 1600, height: 900 },
});
try {
  const page = await browser.newPage();
  await page.goto(loginUrl, { waitUntil: 'domcontentloaded' });

  // The story so far, in the Scheduler's own words: wait until it has paused and resumed the demo.
  await page.goto(`${origin}/consolelogs/resource/scheduler`, { waitUntil: 'domcontentloaded' });
  await waitForText(page, /resumed/i, minutes(12), 'the Scheduler to pause and resume the demo experiment');
  await page.screenshot({ path: `${outDir}/dashboard-scheduler-log.png` });

  await page.goto(`${origin}/`, { waitUntil: 'domcontentloaded' });
  await waitForText(page, /trainer-fr[\s\S]*Running|Running[\s\S]*trainer-fr/, minutes(1), 'the resources grid');
  await page.screenshot({ path: `${outDir}/dashboard-resources.png` });

  await page.goto(`${origin}/metrics/resource/telemetry/meter/GreenTrain.Telemetry/instrument/hw.energy?duration=5`,
    { waitUntil: 'domcontentloaded' });
  await waitForText(page, /hw\.energy/, minutes(1), 'the energy metric');
  // The chart draws after the instrument's data arrives; its SVG paths are the signal.
  await page.waitForFunction(() => document.querySelectorAll('svg path').length > 20, { timeout: minutes(1) });
  await page.screenshot({ path: `${outDir}/dashboard-energy-metric.png` });
  console.log(`screenshots written to ${outDir}`);
} finally {
  await browser.close();
}

async function waitForText(page, pattern, timeout, what) {
  try {
    await page.waitForFunction((source, flags) => new RegExp(source, flags).test(document.body?.innerText ?? ''),
      { timeout, polling: 1000 }, pattern.source, pattern.flags);
  } catch (error) {
    await page.screenshot({ path: `${outDir}/timed-out.png` });
    throw new Error(`gave up waiting for ${what} (see ${outDir}/timed-out.png): ${error.message}`);
  }
}
