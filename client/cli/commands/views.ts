import { CpoInputError } from '../../errors';
import { listWorkflows } from '../../list-workflows';
import { pipelineBoard } from '../../search/pipeline-board';
import { viewContract } from '../../contracts';
import { viewPartner } from '../../partners';
import { defineCommand } from '../command';
import { compact, text } from '../flags';
import { renderBoard, renderContract, renderListing, renderPartner } from '../render';

export const VIEW_COMMANDS = [
  defineCommand({
    name: 'status',
    summary: 'Stage and history of a partner (--partner-id) or a contract (--contract-id)',
    flags: { 'partner-id': text, 'contract-id': text },
    run: async (c, f) => {
      const partnerId = f['partner-id'];
      const contractId = f['contract-id'];
      if ((partnerId === undefined) === (contractId === undefined)) {
        throw CpoInputError.forField('partnerId', 'give exactly one of --partner-id or --contract-id');
      }
      return partnerId !== undefined ? viewPartner(c, partnerId) : viewContract(c, contractId);
    },
    human: (r, timeZone) => ('contractId' in r ? renderContract(r, timeZone) : renderPartner(r, timeZone)),
  }),
  defineCommand({
    name: 'list',
    summary: 'List partners and contracts, optionally by --kind, --stage, --partner-id',
    flags: { kind: text, stage: text, 'partner-id': text, limit: text },
    run: (c, f) =>
      listWorkflows(
        c,
        compact({ kind: f.kind, stage: f.stage, partnerId: f['partner-id'], limit: f.limit === undefined ? undefined : Number(f.limit) }),
      ),
    human: (r) => renderListing(r),
  }),
  defineCommand({
    name: 'board',
    summary: 'Counts per stage and the lists that need attention (overdue signatures, blocked programs, contracts ending)',
    flags: { school: text, service: text, route: text, category: text, 'school-year': text, 'partner-id': text, text },
    run: (c, f) =>
      pipelineBoard(
        c,
        compact({
          school: f.school,
          service: f.service,
          route: f.route,
          category: f.category,
          schoolYear: f['school-year'],
          partnerId: f['partner-id'],
          text: f.text,
        }),
      ),
    human: (r, timeZone) => renderBoard(r, timeZone),
  }),
];
