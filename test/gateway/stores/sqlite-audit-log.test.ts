import { openDatabase } from '@teacher-gateway/gateway/internal/stores/open-database';
import { createSqliteAuditLog } from '@teacher-gateway/gateway/internal/stores/sqlite-audit-log';
import { runAuditLogConformance } from '../../conformance/audit-log-conformance.ts';

runAuditLogConformance({
  name: 'SQLite',
  open(path) {
    const database = openDatabase(path);
    return { auditLog: createSqliteAuditLog(database), close: () => database.close() };
  },
});
