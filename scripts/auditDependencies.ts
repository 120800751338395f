/**
 * CI's dependency audit: `npm audit --omit=dev --audit-level=high`, read as JSON so that
 * two different outcomes are told apart.
 *
 * - The registry answered: any high or critical advisory in a production dependency fails
 *   CI, with the advisories listed.
 * - The registry's advisory endpoint could not be asked (some mirrors and sandboxes answer
 *   405, or nothing): CI says plainly that advisories were NOT checked, and goes on, since a
 *   missing endpoint says nothing about our dependencies. Set AUDIT_REQUIRED=1 to fail instead.
 */
import { execFile } from 'node:child_process';

interface AuditReport {
  vulnerabilities?: Record<string, { severity: string; via: unknown[] }>;
  metadata?: { vulnerabilities: Record<string, number> };
  statusCode?: number;
  message?: string;
  error?: { summary?: string };
}

const output = await new Promise<string>((resolve) => {
  // npm audit exits non-zero both for findings and for endpoint errors: the JSON says which.
  execFile('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], { maxBuffer: 64 * 1024 * 1024 }, (_error, stdout) => resolve(stdout));
});

let report: AuditReport;
try {
  report = JSON.parse(output) as AuditReport;
} catch {
  report = { message: 'npm audit printed no JSON' };
}

if (!report.metadata) {
  const why = report.statusCode ? `HTTP ${report.statusCode} from the registry's advisory endpoint` : (report.error?.summary ?? report.message ?? 'no answer');
  console.log(`npm audit: advisories NOT checked (${why}).`);
  process.exit(process.env.AUDIT_REQUIRED === '1' ? 1 : 0);
}

const { high = 0, critical = 0, ...others } = report.metadata.vulnerabilities;
console.log(`npm audit (production dependencies): ${critical} critical, ${high} high, ${JSON.stringify(others)} others`);
if (high + critical > 0) {
  for (const [name, finding] of Object.entries(report.vulnerabilities ?? {})) {
    if (finding.severity === 'high' || finding.severity === 'critical') console.log(`  ${finding.severity}: ${name}`);
  }
  process.exit(1);
}
