import { Invitation } from './lib/invitation.entity.js';
import { Organization } from './lib/organization.entity.js';
import { Session } from './lib/session.entity.js';
import { User } from './lib/user.entity.js';

export * from './lib/organization.entity.js';
export * from './lib/user.entity.js';
export * from './lib/session.entity.js';
export * from './lib/invitation.entity.js';
export * from './lib/password.js';
export * from './lib/auth.service.js';
export * from './lib/invitation.service.js';
export * from './lib/identity.module.js';
export { SESSION_COOKIE } from './lib/auth.service.js';

export const IDENTITY_ENTITIES = [Organization, User, Session, Invitation];
