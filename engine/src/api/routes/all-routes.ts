// Every route the engine serves, one table per resource.
import type { EngineServices } from '../../services/engine-services.ts';
import type { RouteTable } from '../server.ts';
import { buildRoutes } from './build/build-routes.ts';
import { containerArchiveRoutes } from './containers/archive-routes.ts';
import { containerLifecycleRoutes } from './containers/lifecycle-routes.ts';
import { containerStdioRoutes } from './containers/stdio-routes.ts';
import { execRoutes } from './exec/exec-routes.ts';
import { imageRoutes } from './images/image-routes.ts';
import { networkRoutes } from './networks/network-routes.ts';
import { observabilityRoutes } from './system/observability-routes.ts';
import { transferRoutes } from './images/transfer-routes.ts';
import { swarmRoutes } from './swarm/swarm-routes.ts';
import { systemRoutes } from './system/system-routes.ts';
import { volumeRoutes } from './volumes/volume-routes.ts';

export function allRoutes(services: EngineServices): RouteTable[] {
  return [
    ...systemRoutes(services),
    // Before the container routes: /containers/prune must not be read as a container id.
    ...observabilityRoutes(services),
    ...imageRoutes(services),
    ...transferRoutes(services),
    ...containerLifecycleRoutes(services),
    ...containerStdioRoutes(services),
    ...containerArchiveRoutes(services),
    ...execRoutes(services),
    ...networkRoutes(services),
    ...volumeRoutes(services),
    ...buildRoutes(services),
    ...swarmRoutes(),
  ];
}
