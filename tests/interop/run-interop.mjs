// Interop check: signs requests with real npm signers (sign-requests.mjs), runs
// `hookscope verify --json` over them and compares each verdict, signature status and problem
// code with expected.json. Prints "N passed, M failed" and exits 1 on any failure.
// Usage: node run-interop.mjs HOOKSCOPE_BINARY WORKDIR
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [binary, workDir] = process.argv.slice(2);
if (!binary || !workDir) {
  console.error('usage: node run-interop.mjs HOOKSCOPE_BINARY WORKDIR');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
fs.rmSync(workDir, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(here, 'sign-requests.mjs'), workDir], { stdio: 'inherit' });
const expected = JSON.parse(fs.readFileSync(path.join(workDir, 'expected.json'), 'utf8'));

const keyArgs = ['--jwks', path.join(workDir, 'jwks.json'), '--now', expected.now];
for (const [kid, secret] of Object.entries(expected.secrets))
  keyArgs.push('--secret', `${kid}=${secret}`);

let passed = 0;
let failed = 0;
const fail = (name, message) => {
  failed++;
  console.log(`FAIL  ${name}: ${message}`);
};

for (const testCase of expected.cases) {
  const file = path.join(workDir, testCase.file);
  const result = spawnSync(binary, ['verify', '--json', '--policy', testCase.policy, ...keyArgs, ...testCase.args, file], { encoding: 'utf8' });
  const name = `${testCase.file} [${testCase.policy}]`;
  const wantExit = testCase.verdict === 'verified' ? 0 : 1;
  if (result.status !== wantExit) {
    fail(name, `exit ${result.status}, expected ${wantExit}; stderr: ${result.stderr.trim()}`);
    continue;
  }
  const lines = result.stdout.trim().split('\n');
  if (lines.length !== 1) {
    fail(name, `expected one JSON line, got ${lines.length}`);
    continue;
  }
  let verdict;
  try {
    verdict = JSON.parse(lines[0]);
  } catch (error) {
    fail(name, `not JSON: ${lines[0]}`);
    continue;
  }
  const codes = verdict.problems.map((problem) => problem.code);
  const diagnoses = (verdict.diagnoses ?? []).map((diagnosis) => diagnosis.code);
  const errors = [];
  if (verdict.file !== file) errors.push(`file ${verdict.file}`);
  if (verdict.verdict !== testCase.verdict) errors.push(`verdict ${verdict.verdict}, expected ${testCase.verdict}`);
  if (testCase.signatureStatus && verdict.signature.status !== testCase.signatureStatus)
    errors.push(`signature.status ${verdict.signature.status}, expected ${testCase.signatureStatus}`);
  if (testCase.scheme && verdict.signature.scheme !== testCase.scheme)
    errors.push(`scheme ${verdict.signature.scheme}, expected ${testCase.scheme}`);
  for (const code of testCase.problems)
    if (!codes.includes(code)) errors.push(`missing problem ${code}`);
  for (const code of testCase.absentProblems)
    if (codes.includes(code)) errors.push(`unexpected problem ${code}`);
  for (const code of testCase.diagnoses)
    if (!diagnoses.includes(code)) errors.push(`missing diagnosis ${code}`);
  if (testCase.verdict === 'verified' && codes.some((code) => !['body-reserialized', 'digest-not-signed'].includes(code)))
    errors.push(`verified with problems ${codes.join(', ')}`);
  if (verdict.signature.status !== 'absent' && verdict.signature.status !== 'malformed' && !verdict.signature.signingString)
    errors.push('no signingString');
  if (errors.length) fail(name, `${errors.join('; ')}\n      problems: ${JSON.stringify(verdict.problems)}`);
  else {
    passed++;
    console.log(`PASS  ${name}: ${verdict.verdict}${codes.length ? ` (${codes.join(', ')})` : ''}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed === expected.cases.length && passed > 0 ? 0 : 1);
