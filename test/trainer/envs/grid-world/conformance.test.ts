import { envIds, makeEnv } from '../../../../trainer/src/index.ts';
import { envConformance } from '../../../conformance/env-conformance.ts';

for (const id of envIds()) {
  envConformance(id, () => makeEnv(id), { steps: 300 });
}
