/** Every kind of viewer the authorisation matrix runs each operation as. */
export const VIEWERS = ['anonymous', 'admin', 'manager', 'ssw', 'liaison', 'otherLiaison', 'hubCarer', 'carer', 'otherCarer', 'foreignAdmin', 'deactivated'] as const;
export type ViewerKind = (typeof VIEWERS)[number];

export const VIEWER_LABELS: Record<ViewerKind, string> = {
  anonymous: 'anonymous',
  admin: 'ADMIN',
  manager: 'FOSTERING_MANAGER',
  ssw: 'SUPERVISING_SOCIAL_WORKER',
  liaison: 'liaison worker (of Riverside)',
  otherLiaison: 'liaison worker of another constellation',
  hubCarer: 'hub carer (Riverside)',
  carer: 'carer (Riverside satellite)',
  otherCarer: 'carer of another constellation',
  foreignAdmin: 'ADMIN of another organisation',
  deactivated: 'deactivated user (was a manager)',
};

export const STAFF: ViewerKind[] = ['admin', 'manager', 'ssw', 'liaison', 'otherLiaison'];
export const ORG_WIDE: ViewerKind[] = ['admin', 'manager', 'ssw'];
export const MANAGERS: ViewerKind[] = ['admin', 'manager'];
export const LOGGED_IN: ViewerKind[] = ['admin', 'manager', 'ssw', 'liaison', 'otherLiaison', 'hubCarer', 'carer', 'otherCarer', 'foreignAdmin'];
