export { contractWorkflow } from './contract/contract-workflow';
export { partnerWorkflow } from './partner-workflow';
