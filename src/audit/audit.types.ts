import { connectionTypes } from '../platform/graphql/connection';
import { AuditEvent } from './audit-event.entity';

export const { ConnectionType: AuditEventConnection, EdgeType: AuditEventEdge } = connectionTypes('AuditEvent', AuditEvent, 'Newest first.');
