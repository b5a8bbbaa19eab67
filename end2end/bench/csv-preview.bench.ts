import { writeFileSync } from 'node:fs';
import { test } from '../tests/fixtures';
import { CsvUpload } from '../tests/pages/csv-upload';
import { type Academy, ownAcademy, signInAsOwner } from '../tests/own-academy';

// Issue 5's browser benchmark: a large file (BENCH_CSV_FILE, from gen_large.py) read and checked by
// Shoal's preview (the shared Rust code in WASM, in slices) beside PapaParse parsing the same bytes
// in the same page. Writes its numbers as JSON to BENCH_CSV_OUT; `.ci/bench.sh` prints them.
// Each side runs RUNS times; the medians are reported.

const file = process.env.BENCH_CSV_FILE ?? '';
const out = process.env.BENCH_CSV_OUT ?? '';
const RUNS = Number(process.env.BENCH_CSV_RUNS ?? 3);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test('CSV preview of a large file: Shoal beside PapaParse', async ({ page }, testInfo) => {
  test.skip(!file || !out, 'needs BENCH_CSV_FILE and BENCH_CSV_OUT (.ci/bench.sh sets them)');
  const academy: Academy = await ownAcademy(page.context().browser()!, testInfo, 'BENCH');
  const learners = await signInAsOwner(page, academy);
  const dialog = await learners.openInviteDialog();
  const csv = new CsvUpload(page, dialog.root);
  await csv.open();

  // The longest gap between two animation frames while Shoal reads: how long the page froze.
  const shoal = { work: [] as number[], checked: [] as number[], firstRows: [] as number[], open: [] as number[], read: [] as number[], longestFrame: [] as number[] };
  for (let run = 0; run < RUNS; run++) {
    if (run > 0) await dialog.root.getByRole('button', { name: 'Choose another file' }).click();
    await page.evaluate(() => {
      const w = window as unknown as { __gaps: number[]; __frames: boolean };
      w.__gaps = [];
      w.__frames = true;
      let last = performance.now();
      const tick = (t: number) => {
        w.__gaps.push(t - last);
        last = t;
        if (w.__frames) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await csv.choose(file);
    await csv.waitChecked();
    const longest = await page.evaluate(() => {
      const w = window as unknown as { __gaps: number[]; __frames: boolean };
      w.__frames = false;
      return Math.max(...w.__gaps);
    });
    const attr = async (name: string) => Number(await csv.preview.getAttribute(`data-${name}`));
    shoal.work.push(await attr('work-ms'));
    shoal.checked.push(await attr('checked-ms'));
    shoal.firstRows.push(await attr('first-rows-ms'));
    shoal.open.push(await attr('open-ms'));
    shoal.read.push(await attr('read-ms'));
    shoal.longestFrame.push(longest);
  }
  const rows = await csv.count('rows').textContent();
  const problems = await csv.count('problems').textContent();

  // PapaParse, same page, same file: decoding the bytes and parsing them (header row, every row).
  await page.addScriptTag({ path: require.resolve('papaparse/papaparse.min.js') });
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = 'bench-papa';
    document.body.append(input);
  });
  await page.setInputFiles('#bench-papa', file);
  const papa = await page.evaluate(async (runs) => {
    const input = document.getElementById('bench-papa') as HTMLInputElement;
    const bytes = await input.files![0].arrayBuffer();
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const text = new TextDecoder('utf-8').decode(bytes);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const result = (window as any).Papa.parse(text, { header: true, skipEmptyLines: false });
      times.push(performance.now() - t0);
      count = result.data.length;
    }
    return { times, count };
  }, RUNS);

  const result = {
    file,
    rows,
    problems,
    shoal: {
      work_ms: median(shoal.work),
      checked_ms: median(shoal.checked),
      first_rows_ms: median(shoal.firstRows),
      open_ms: median(shoal.open),
      read_ms: median(shoal.read),
      longest_frame_ms: median(shoal.longestFrame),
      runs: shoal,
    },
    papaparse: { parse_ms: median(papa.times), runs: papa.times, rows: papa.count },
  };
  writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result));
});
