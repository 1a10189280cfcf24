import { CATEGORY_LABELS, SERVICE_LABELS, STAGE_LABELS } from '../../domain/labels';
import { SERVICE_TYPES, type TContractStage, type TPartnershipCategory, type TServiceType } from '../../domain/vocabulary';
import type { TDirectory } from './summarize-directory';

/** RFC 4180 field; a leading = + - @ is prefixed so a spreadsheet does not run it as a formula. */
function csvField(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
const csv = (rows: (string | number)[][]): string => rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';

/** One row per program and school: the partnership database as a spreadsheet. */
export function directoryCsv(directory: TDirectory): string {
  const rows: (string | number)[][] = [['School', 'Partner', 'Program', 'Services', 'Category', 'Stage', 'Contract']];
  for (const partner of directory.partners) {
    for (const program of partner.programs) {
      for (const school of program.schools) {
        rows.push([
          school,
          partner.organizationName,
          program.programName,
          program.services.map((s) => SERVICE_LABELS[s as TServiceType] ?? s).join('; '),
          CATEGORY_LABELS[program.category as TPartnershipCategory] ?? program.category,
          STAGE_LABELS[program.stage as TContractStage] ?? program.stage,
          program.contractId,
        ]);
      }
    }
  }
  return csv(rows.length > 1 ? [rows[0]!, ...rows.slice(1).sort((a, b) => String(a[0]).localeCompare(String(b[0])))] : rows);
}

/** Programs per school and service: the district-wide distribution. */
export function distributionCsv(directory: TDirectory): string {
  return csv([
    ['School', 'Partners', 'Programs', ...SERVICE_TYPES.map((s) => SERVICE_LABELS[s])],
    ...directory.schools.map((school) => [
      school.school,
      school.partners,
      school.programs,
      ...SERVICE_TYPES.map((s) => school.services[s]),
    ]),
  ]);
}
