import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// jest loads globalSetup outside its ESM transform, so the TypeScript work runs under tsx.
export default function globalSetup() {
  const script = fileURLToPath(new URL('./build-template.ts', import.meta.url));
  execFileSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' });
}
