import { openDatabase } from '../../../gateway/src/stores/open-database.ts';
import { createSqliteAuditLog } from '../../../gateway/src/stores/sqlite-audit-log.ts';
import { runAuditLogConformance } from '../../conformance/audit-log-conformance.ts';

runAuditLogConformance({
  name: 'SQLite',
  open(path) {
    const database = openDatabase(path);
    return { auditLog: createSqliteAuditLog(database), close: () => database.close() };
  },
});
