// grade.test.mjs: `nnplay grade` end to end on a generated class of 1,000 assignment links
// (CSV with student and link columns) plus a few broken lines. Every student's answers are
// made by construction from the course's E4 and E9 numbers (exercises.md), worked by hand
// below, so the expected verdicts and the summary follow from how each line was made, not
// from the code under test:
//   kind "right":   every E4 value right (14), E9's row right (4);
//   kind "carried": the seed's slip z2[3] = 0.006 (wrong, the root cause), then values that
//                   follow from it: a2 = relu(their z2), z3 = W3 a2 with their a2, a3 =
//                   softmax(their z3): 8 right, 1 wrong, 5 carried; E9 left empty;
//   kind "wrong":   z1, a1 right, then z2, a2, z3, a3 that nothing explains: 4 right, 10 wrong;
//                   E9's row with one slip (3 right, 1 wrong).
// Also: a plain file of one link per line, JSON output, and bad usage.
//
//   node tests/tools/grade.test.mjs --nnplay build/native/tools/nnplay [--work DIR]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const nnplay = arg('--nnplay');
if (!nnplay) throw new Error('usage: grade.test.mjs --nnplay PATH');
const work = arg('--work', fs.mkdtempSync(path.join(os.tmpdir(), 'nnplay-grade-')));
fs.mkdirSync(work, { recursive: true });

let failures = 0;
function expect(cond, what) {
  if (!cond) {
    failures++;
    console.error(`FAIL: ${what}`);
  }
}

// ---- E4 by hand (x = [0.5, -1], W1, W2, W3 of exercises.md) ----------------------------------
const W3 = [[0.1, 0.2, 0.1], [0.4, 0.7, 0.3]];
const softmax = (z) => {
  const e = z.map(Math.exp);
  const s = e[0] + e[1];
  return e.map((v) => v / s);
};
const fix = (v, d) => v.toFixed(d);
const right4 = 'z1:0.15,-0.2;a1:0.15,0;z2:0.015,0.045,0.06;a2:0.015,0.045,0.06;' +
  'z3:0.0165,0.0555;a3:0.490,0.510';
// The carried kind: z2[3] = 0.006 instead of 0.06; everything after follows from it.
const a2c = [0.015, 0.045, 0.006];
const z3c = W3.map((row) => row.reduce((s, w, i) => s + w * a2c[i], 0));  // [0.0111, 0.0393]
const a3c = softmax(z3c.map((v) => Number(fix(v, 4))));
const carried4 = `z1:0.15,-0.2;a1:0.15,0;z2:0.015,0.045,0.006;a2:0.015,0.045,0.006;` +
  `z3:${fix(z3c[0], 4)},${fix(z3c[1], 4)};a3:${fix(a3c[0], 3)},${fix(a3c[1], 3)}`;
// The wrong kind: z2 = [0.5, 0.5, 0.5] (relu gives 0.5, not their 0.9; W3 of 0.9s gives 0.36
// and 1.26, not 0.9; softmax of [0.9, 0.9] is 0.5, not 0.9 or 0.1).
const wrong4 = 'z1:0.15,-0.2;a1:0.15,0;z2:0.5,0.5,0.5;a2:0.9,0.9,0.9;z3:0.9,0.9;a3:0.9,0.1';
const kinds = ['right', 'carried', 'wrong'];

const rows = ['student,link'];
const expected = new Map();  // line -> kind
const broken = new Map();  // line -> what the message must name
let line = 1;
for (let i = 0; i < 1000; i++) {
  const kind = kinds[(i * 7 + (i >> 3)) % 3];
  const e4 = kind === 'right' ? right4 : kind === 'carried' ? carried4 : wrong4;
  const e9 = kind === 'right' ? '&e9=row1:0,30,30,0' : kind === 'wrong' ? '&e9=row1:0,30,3,0' : '';
  rows.push(`s${String(i).padStart(4, '0')},"v1/course?ex=1-13&e4=${e4}${e9}"`);
  expected.set(++line, kind);
  if (i % 250 === 100) {
    // Broken lines between the good ones: each reported with its number, none stops the run.
    const bad = [
      ['x1,"v1/course?ex=1-14"', 'ex:'],
      ['x2,"v1/course?ex=1-13&e4=z1:abc"', 'e4:'],
      ['x3,"v1/mlp?x=1:1&l1=relu&w1=1x1:1"', 'lab:'],
      ['x4,"v1/course?ex=1-13', 'quoted'],
    ][(i - 100) / 250];
    rows.push(bad[0]);
    broken.set(++line, bad[1]);
  }
}
const csvPath = path.join(work, 'class.csv');
fs.writeFileSync(csvPath, rows.join('\n') + '\n');

const t0 = process.hrtime.bigint();
const run = spawnSync(nnplay, ['grade', csvPath], { encoding: 'utf8', maxBuffer: 1 << 28 });
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
expect(run.status === 0, `grade exits 0 (got ${run.status}: ${run.stderr.slice(0, 400)})`);
console.log(`graded 1,000 links (+${broken.size} broken) in ${seconds.toFixed(2)} s (debug build)`);

// Bad lines: on stderr with their line numbers, skipped.
const errLines = run.stderr.trim().split('\n').filter(Boolean);
expect(errLines.length === broken.size, `${broken.size} skipped lines reported, got ${errLines.length}`);
for (const [n, what] of broken) {
  const msg = errLines.find((l) => l.includes(`line ${n} skipped`));
  expect(msg && msg.includes(what), `line ${n} reported naming '${what}': ${msg}`);
}

// The table: step rows per student, exercise, step, value; summary rows per exercise.
const out = run.stdout.trim().split('\n');
expect(out[0] === 'kind,line,student,exercise,step,value,typed,verdict,root_cause,right,carried,wrong,empty',
  `header: ${out[0]}`);
const split = (l) => l.split(',');
const byLine = new Map();
const summary = new Map();
for (const l of out.slice(1)) {
  const f = split(l);
  if (f[0] === 'summary') {
    summary.set(f[3], f.slice(9).map(Number));
    continue;
  }
  const n = Number(f[1]);
  if (!byLine.has(n)) byLine.set(n, []);
  byLine.get(n).push(f);
}
expect(byLine.size === 1000, `1000 students graded, got ${byLine.size}`);
for (const n of broken.keys()) expect(!byLine.has(n), `broken line ${n} not graded`);

// Per student: the verdicts of E4 and E9 as made.
const e4Verdicts = {
  right: { right: 14, carried: 0, wrong: 0 },
  carried: { right: 8, carried: 5, wrong: 1 },
  wrong: { right: 4, carried: 0, wrong: 10 },
};
let checked = 0;
for (const [n, kind] of expected) {
  const r = byLine.get(n) || [];
  const e4 = r.filter((f) => f[3] === 'E4');
  const count = (v) => e4.filter((f) => f[7] === v).length;
  const want = e4Verdicts[kind];
  const ok = count('right') === want.right && count('carried') === want.carried &&
    count('wrong') === want.wrong;
  if (!ok && checked++ < 5) {
    console.error(`line ${n} (${kind}): right ${count('right')} carried ${count('carried')} ` +
      `wrong ${count('wrong')}; want ${JSON.stringify(want)}`);
  }
  expect(ok, `line ${n} (${kind}) E4 verdicts`);
  const roots = e4.filter((f) => f[8] === 'yes').map((f) => `${f[4]}[${f[5]}]`);
  const wantRoot = kind === 'right' ? [] : kind === 'carried' ? ['z2[3]'] : ['z2[1]'];
  expect(JSON.stringify(roots) === JSON.stringify(wantRoot), `line ${n} root cause ${roots}`);
  if (kind === 'carried') {
    const z31 = e4.find((f) => f[4] === 'z3' && f[5] === '1');
    expect(z31 && z31[7] === 'carried', `line ${n}: z3[1] right for their a2`);
  }
  const student = r[0] && r[0][2];
  expect(student === `s${String(n - 2 - [...broken.keys()].filter((b) => b < n).length).padStart(4, '0')}`,
    `line ${n}: the student column (${student})`);
}

// The summary, from how many lines of each kind were made.
const made = { right: 0, carried: 0, wrong: 0 };
for (const kind of expected.values()) made[kind]++;
const wantE4 = [
  14 * made.right + 8 * made.carried + 4 * made.wrong,
  5 * made.carried,
  made.carried + 10 * made.wrong,
  0,
];
expect(JSON.stringify(summary.get('E4')) === JSON.stringify(wantE4),
  `E4 summary ${summary.get('E4')} want ${wantE4}`);
const wantE9 = [4 * made.right + 3 * made.wrong, 0, made.wrong, 4 * made.carried];
expect(JSON.stringify(summary.get('E9')) === JSON.stringify(wantE9),
  `E9 summary ${summary.get('E9')} want ${wantE9}`);
// E1: nobody answered; two asked values (z1, p) per student.
expect(JSON.stringify(summary.get('E1')) === JSON.stringify([0, 0, 0, 2000]), `E1 ${summary.get('E1')}`);
expect(summary.size === 13, `13 summary rows, got ${summary.size}`);

// ---- one link per line, JSON ---------------------------------------------------------------
const plain = path.join(work, 'links.txt');
fs.writeFileSync(plain, [
  `http://127.0.0.1:8080/#v1/course?ex=4&name=Ann+Lee&e4=${carried4}`,
  '',
  'not a link',
  'v1/course?ex=9&e9=row1:0,30,30,0',
].join('\r\n'));
const json = spawnSync(nnplay, ['grade', plain, '--json'], { encoding: 'utf8' });
expect(json.status === 0, `grade --json exits 0: ${json.stderr}`);
const report = JSON.parse(json.stdout);
expect(report.students.length === 2, `two students: ${report.students.length}`);
expect(report.students[0].student === 'Ann Lee', `the link's name: ${report.students[0].student}`);
expect(report.students[0].line === 1 && report.students[1].line === 4, 'line numbers');
expect(report.skipped.length === 1 && report.skipped[0].line === 3, JSON.stringify(report.skipped));
const ex4 = report.students[0].exercises[0];
expect(ex4.number === 4 && ex4.right === 8 && ex4.carried === 5 && ex4.wrong === 1,
  `E4 counts in JSON: ${ex4.right}/${ex4.carried}/${ex4.wrong}`);
expect(report.summary.length === 2 && report.summary[1].exercise === 9 && report.summary[1].right === 4,
  JSON.stringify(report.summary));

// ---- names past ASCII ------------------------------------------------------------------------
// A spreadsheet's "CSV UTF-8" begins with a byte-order mark (EF BB BF) before the header; the
// names print as UTF-8: the student column's, else the link's (percent-encoded UTF-8:
// "%C3%A9" is é, "%E6%9D%8E%E9%9B%B7" is 李雷).
const utf8Csv = path.join(work, 'utf8.csv');
fs.writeFileSync(utf8Csv, '\ufeffstudent,link\n' +
  '"José Müller","v1/course?ex=9&e9=row1:0,30,30,0"\n' +
  ',"v1/course?ex=9&name=%E6%9D%8E%E9%9B%B7&e9=row1:0,30,30,0"\n' +
  ',"v1/course?ex=9&name=Jos%C3%A9+M%C3%BCller&e9=row1:0,30,30,0"\n' +
  ',"v1/course?ex=9&name=Ann%E2%80%AELee&e9=row1:0,30,30,0"\n');
const u = spawnSync(nnplay, ['grade', utf8Csv], { encoding: 'utf8' });
expect(u.status === 0, `grade of a UTF-8 CSV exits 0: ${u.stderr}`);
const names = u.stdout.trim().split('\n').filter((l) => l.startsWith('step,')).map((l) => l.split(',')[2]);
expect(JSON.stringify([...new Set(names)]) === JSON.stringify(['José Müller', '李雷']),
  `the names as UTF-8 (the header found past the byte-order mark): ${[...new Set(names)]}`);
expect(names.length === 3 * 4, `three students with E9's 4 values: ${names.length}`);
expect(/line 5 skipped: name: .*U\+202E/.test(u.stderr), `a direction override is refused: ${u.stderr}`);

// ---- bad usage and a missing file ------------------------------------------------------------
const missing = spawnSync(nnplay, ['grade', path.join(work, 'missing.csv')], { encoding: 'utf8' });
expect(missing.status === 1 && /cannot open/.test(missing.stderr) && missing.stdout === '',
  `a missing file: ${missing.status} ${missing.stderr}`);
const usage = spawnSync(nnplay, ['grade'], { encoding: 'utf8' });
expect(usage.status === 2 && /usage/.test(usage.stderr), 'grade without a file: usage');
const flag = spawnSync(nnplay, ['grade', plain, '--xml'], { encoding: 'utf8' });
expect(flag.status === 2, 'an unknown flag: usage');
// An assignment link through `nnplay eval`: its JSON, with the verdicts.
const evalOut = execFileSync(nnplay, ['eval', `v1/course?ex=4&e4=${carried4}`], { encoding: 'utf8' });
expect(/"lab":"course"/.test(evalOut) && /"verdicts":\["right","right","carried"\]/.test(evalOut),
  'eval of an assignment link shows the verdicts (a2: right, right, carried)');

if (failures) {
  console.error(`${failures} failure(s)`);
  process.exit(1);
}
console.log('grade.test: all checks passed');
