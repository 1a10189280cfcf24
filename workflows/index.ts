export { contractWorkflow } from './contract-workflow';
export { partnerWorkflow } from './partner-workflow';
