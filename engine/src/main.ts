// berthd entry point: the only place that wires platform implementations into services and
// services into the API (DESIGN.md rule 1).
import { mkdir } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { ContainerStore } from './core/container-store.ts';
import { errorMessage } from './core/errors.ts';
import { MemoryEventBus } from './core/event-bus.ts';
import { ImageStore } from './core/image-store.ts';
import { createApiServer } from './api/server.ts';
import { allRoutes } from './api/routes/all-routes.ts';
import { parseFlags, USAGE } from './cli/flags.ts';
import { acquirePidfile, listenOnHosts, readServerTls, shutdownOnSignals } from './cli/daemon-process.ts';
import { ContainerContext } from './services/containers/context.ts';
import { ExecService } from './services/containers/exec-service.ts';
import { restoreContainers } from './services/containers/restore-containers.ts';
import { ImageService } from './services/images/image-service.ts';
import { createPull } from './services/images/pull-image.ts';
import { PullService } from './services/pull-service.ts';
import { FsContentStore } from './platform/linux/content-store.ts';
import { LinuxContainerPlatform } from './platform/linux/container-platform.ts';
import { OverlaySnapshotter } from './platform/linux/overlay-snapshotter.ts';
import { LinuxContainerFiles } from './platform/linux/container-files/index.ts';
import { RegistryClient } from './platform/linux/registry/registry-client.ts';
import { RegistryPusher } from './platform/linux/registry/registry-push.ts';
import { LinuxRuntime } from './platform/linux/runtime/runtime.ts';
import { findExecutable, nativeHelperPath, systemFacts } from './platform/linux/host-facts.ts';
import { AttachmentStore } from './core/network/attachment-store.ts';
import { parseAddressPool } from './core/network/ipam.ts';
import { NetworkStore } from './core/network/network-store.ts';
import { NetavarkContainerNetworking } from './services/networks/container-networking.ts';
import { NetworkService } from './services/networks/network-service.ts';
import { findNetavark, NetavarkDriver } from './platform/linux/network/netavark.ts';
import { bindHostPort } from './platform/linux/network/port-binder.ts';
import { VolumeStore } from './core/volume/volume-store.ts';
import { LocalVolumeDriver } from './platform/linux/volumes/local-driver.ts';
import { LinuxMountHost } from './platform/linux/volumes/container-fs.ts';
import { LocalContainerVolumes } from './services/volumes/container-volumes.ts';
import { VolumeService } from './services/volumes/volume-service.ts';
import { HealthMonitor } from './services/observability/health-monitor.ts';
import { StatsService } from './services/observability/stats-service.ts';
import { LinuxStatsReader } from './platform/linux/stats/index.ts';
import { dirSize } from './platform/linux/stats/dir-size.ts';
import { BuildCache } from './services/build/build-cache.ts';
import { BuildService } from './services/build/build-service.ts';
import { LinuxBuildPlatform } from './platform/linux/build/index.ts';
import { openUrl } from './platform/linux/url-download.ts';
import { RegistryIndexSearch } from './platform/linux/registry/index-search.ts';
import { searchImages, type SearchRequest } from './services/images/search-images.ts';
import { extractArchive } from './platform/linux/image-archive/archive-extract.ts';
import { ImageTransferService } from './services/images/image-transfer.ts';
import { reconcileOnStart } from './services/reconcile/reconcile-on-start.ts';

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  if (flags === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (process.getuid?.() !== 0) throw new Error('berthd needs to run as root (it mounts filesystems and creates namespaces)');
  const log = (message: string) => process.stderr.write(`berthd: ${message}\n`);
  // Bad TLS files stop the start before anything is touched.
  const tls = await readServerTls(flags.tls);
  await mkdir(flags.dataRoot, { recursive: true, mode: 0o710 });
  await mkdir(flags.execRoot, { recursive: true, mode: 0o700 });
  await acquirePidfile(flags.pidfile);

  const events = new MemoryEventBus();
  const content = new FsContentStore(join(flags.dataRoot, 'content'));
  const snapshotter = new OverlaySnapshotter({ root: flags.dataRoot, initLayer: true });
  await snapshotter.ready();
  const imageStore = new ImageStore(join(flags.dataRoot, 'image'));
  const containerStore = new ContainerStore(join(flags.dataRoot, 'containers'));
  await Promise.all([imageStore.load(), containerStore.load()]);

  const runtimePath = findExecutable(flags.runtimePath);
  const runtime = new LinuxRuntime({
    stateDir: join(flags.execRoot, 'runtime'),
    runcPath: runtimePath,
    conmonPath: findExecutable(flags.conmonPath),
    runcRoot: join(flags.execRoot, 'runc'),
    nativeHelperPath: nativeHelperPath(),
  });
  const platform = new LinuxContainerPlatform({
    containersDir: join(flags.dataRoot, 'containers'),
    bundlesDir: join(flags.execRoot, 'bundles'),
    cgroupParent: flags.cgroupParent,
    hostGatewayIp: flags.bip.split('/')[0],
  });
  const images = new ImageService({ store: imageStore, content, snapshotter, events });
  const containers = new ContainerContext({ store: containerStore, images, snapshotter, runtime, events, platform });
  images.containersUsing = (imageId) => containerStore.list().filter((c) => c.Image === imageId);
  images.containers = () => containerStore.list();
  const registry = new RegistryClient({ insecureRegistries: flags.insecureRegistries, mirrors: flags.registryMirrors });
  const indexSearch = new RegistryIndexSearch((host) => registry.isInsecure(host));
  const pullService = new PullService({
    registry,
    content,
    snapshotter,
    commitImage: (pulled) => images.recordPulled(pulled),
    currentImage: (ref) => imageStore.tagTarget(ref.toString()),
  });

  // Networking (Step 2): netavark bridges with the engine's own IPAM, ports and aardvark DNS.
  const netavark = findNetavark();
  const networks = new NetworkService({
    store: new NetworkStore(join(flags.dataRoot, 'networks')),
    attachments: new AttachmentStore(join(flags.execRoot, 'network-state')),
    driver: new NetavarkDriver({ ...netavark, configDir: join(flags.execRoot, 'networks'), netnsDir: join(flags.execRoot, 'netns'), anchorDir: join(flags.execRoot, 'bridge-anchors') }),
    events,
    containers: () => containerStore.list(),
    bridgeName: flags.bridge,
    bip: flags.bip,
    pools: flags.defaultAddressPools.map(parseAddressPool),
    log,
  });
  await networks.load();
  const networking = new NetavarkContainerNetworking({
    networks,
    binder: bindHostPort,
    save: (record) => containerStore.save(record),
    find: (ref) => containerStore.find(ref),
  });
  containers.networking = networking;

  // Volumes and mounts (Step 2): the `local` driver under <data-root>/volumes, as dockerd lays it out.
  const volumeStore = new VolumeStore(join(flags.dataRoot, 'volumes'));
  await volumeStore.load();
  const volumes = new VolumeService({ store: volumeStore, driver: new LocalVolumeDriver(volumeStore.root), events });
  volumes.loadReferences(containerStore.list());
  const containerVolumes = new LocalContainerVolumes({
    volumes, host: new LinuxMountHost(), findContainer: (ref) => containerStore.find(ref),
    // In the Berth VM only shared host folders may be bound (and the engine's own sockets).
    ...(flags.vmSharedPaths ? { shared: { roots: flags.vmSharedPaths, exempt: flags.sockets } } : {}),
  });
  // Before containers are restored: exits found during the restore unmount what they used.
  containerVolumes.restore(containerStore.list());
  containers.volumes = containerVolumes;

  await restoreContainers(containers, log);
  await networking.restore();

  // Classic builder (Step 3): step images through ImageService, RUN through the container services.
  const containerFiles = new LinuxContainerFiles(snapshotter.layout);
  const pull = createPull(pullService, (task) => images.holdContent(task));
  // Scratch space of operations in flight (emptied at start: see reconcile-on-start.ts).
  const builderTmp = join(flags.dataRoot, 'builder', 'tmp');
  const transferTmp = join(flags.dataRoot, 'tmp');
  const buildPlatform = new LinuxBuildPlatform({ layout: snapshotter.layout, tmpDir: builderTmp });
  const build = new BuildService({
    images,
    containers,
    files: containerFiles,
    platform: buildPlatform,
    cache: new BuildCache(join(flags.dataRoot, 'builder')),
    pull,
  });

  // Observability (Step 3): stats from cgroups and /proc; health checks through exec.
  const execs = new ExecService(containers);
  const health = new HealthMonitor({ ctx: containers, execs });
  health.start();
  const observability = {
    stats: new StatsService({ store: containerStore, reader: new LinuxStatsReader({ cgroupParent: flags.cgroupParent }) }),
    dirSize,
  };

  const services = {
    images,
    containers,
    networks: { service: networks, networking },
    volumes,
    containerFiles,
    execs,
    observability,
    events,
    pull,
    build,
    // save/load/import/commit (Step 3): archives unpack under the data root, never in /tmp.
    transfer: new ImageTransferService({
      images,
      containers,
      tmpDir: join(transferTmp, 'images'),
      extractArchive,
      snapshotLayer: (id, top, merged) => buildPlatform.snapshotLayer(id, top, merged),
      pusher: new RegistryPusher({
        isInsecure: (host) => registry.isInsecure(host),
        // Tests shrink it to exercise chunked (PATCH) uploads with small layers.
        chunkSize: Number(process.env.BERTH_PUSH_CHUNK_SIZE) || undefined,
      }),
      openRange: (digest, start, end) => createReadStream(content.blobPath(digest), { start, end: end - 1 }),
      openUrl: (url) => openUrl(url),
    }),
    search: (request: SearchRequest) => searchImages(indexSearch, request),
    system: await systemFacts(flags, runtimePath, platform.host.cgroupV2, platform.confinedPaths()),
    containerPaths: (id: string) => ({
      logPath: platform.logPath(id),
      rootfs: join(flags.dataRoot, 'overlay', 'containers', id, 'merged'),
      upperDir: snapshotter.containerUpperDir(id),
      hostsPath: join(platform.filesDir(id), 'hosts'),
      hostnamePath: join(platform.filesDir(id), 'hostname'),
      resolvConfPath: join(platform.filesDir(id), 'resolv.conf'),
    }),
  };
  await reconcileOnStart({ containers, scratchDirs: [transferTmp, builderTmp], networking, log });
  const server = createApiServer({ routes: allRoutes(services), log, debug: flags.logLevel === 'debug', hostPaths: [flags.dataRoot, flags.execRoot] });
  await listenOnHosts(server, flags, tls, log);
  // One line once the API answers: scripts and tests wait for it.
  const listening = [...flags.sockets.map((s) => `unix://${s}`), ...flags.tcpHosts.map((h) => `${h.url}${tls ? ` (TLS${tls.verify ? ', client certificates verified' : ''})` : ''}`)];
  process.stdout.write(`berthd: API listening on ${listening.join(', ')}\n`);
  // Containers outlive the engine (conmon); the default bridge only while one of them uses it.
  shutdownOnSignals(server, flags, log, () => networking.releaseIdleBridges());
}

main().catch((error) => {
  process.stderr.write(`berthd: ${errorMessage(error)}\n`);
  process.exit(1);
});
