import type { TCommand } from './command';
import { CONTRACT_COMMANDS } from './commands/contract';
import { PARTNER_COMMANDS } from './commands/partner';
import { staffPassword } from './commands/staff-password';
import { verify } from './commands/verify';
import { VIEW_COMMANDS } from './commands/views';

/** Every `cpo` command, in the order the usage lists them. */
export const COMMANDS: TCommand[] = [...PARTNER_COMMANDS, ...CONTRACT_COMMANDS, ...VIEW_COMMANDS, staffPassword, verify];
