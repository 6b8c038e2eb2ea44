// Grants the DCS controller's lab user the controller's ClusterRole from config/rbac/.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { LabError } from './errors';
import { serverSideApply, type KubeHttp } from './kubeHttp';

const RBAC_PATH = '/apis/rbac.authorization.k8s.io/v1';

interface ClusterRole {
  readonly kind: 'ClusterRole';
  readonly metadata: { readonly name: string };
}

/** Applies the ClusterRole in `rolePath` and binds it to the user `userName` (a client certificate's CN). */
export async function grantControllerRole(http: KubeHttp, rolePath: string, userName: string): Promise<void> {
  const role = parse(await readFile(rolePath, 'utf8')) as Partial<ClusterRole> | null;
  const name = role?.metadata?.name;
  if (role?.kind !== 'ClusterRole' || typeof name !== 'string') throw new LabError(`${rolePath} does not hold a ClusterRole`);
  await serverSideApply(http, `${RBAC_PATH}/clusterroles/${name}`, role);
  await serverSideApply(http, `${RBAC_PATH}/clusterrolebindings/${name}`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: userName }],
  });
}
