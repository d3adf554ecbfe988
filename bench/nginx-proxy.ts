/**
 * The scale benchmark's second reference (issue 6): Debian's `nginx-light` as a plain reverse proxy
 * in front of the same upstream — one worker (the servers under test get one core), keep-alive to the
 * upstream, no access log. Its configuration, pid file, error log and temporary paths live in the
 * run's temporary directory; it runs in the foreground (`daemon off`) as the current user.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { childPids, processCpuSeconds, processRssMb, tryExec, type ChildGroup } from './harness.ts';

export const NGINX_INSTALL_HINT = 'apt-get install nginx-light';

/** The nginx binary, or undefined when it is not installed. */
export function findNginx(): string | undefined {
  if (existsSync('/usr/sbin/nginx')) return '/usr/sbin/nginx';
  const found = tryExec('which', ['nginx']);
  return found === undefined || found === '' ? undefined : found;
}

/** `nginx/1.22.1` (`nginx -v` writes to stderr). */
export function nginxVersion(binary: string): string {
  return spawnSync(binary, ['-v'], { encoding: 'utf8' }).stderr.trim().replace(/^nginx version: /, '') || 'nginx';
}

export interface NginxProxy {
  port: number;
  /** Master and worker. */
  pids(): number[];
  cpuSeconds(): number;
  rssMb(): number;
  stop(): Promise<void>;
}

/** A loopback port free at the time of asking (nginx cannot listen on port 0 and report it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address !== null && typeof address !== 'string' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function config(dir: string, port: number, upstreamPort: number): string {
  const user = os.userInfo();
  // Only root may (and, to stay the current user, must) name the workers' user.
  const userLine = user.uid === 0 ? `user ${user.username} ${tryExec('id', ['-gn']) ?? user.username};\n` : '';
  const temp = (name: string) => path.join(dir, name);
  return `${userLine}worker_processes 1;
pid ${temp('nginx.pid')};
error_log ${temp('error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${temp('client_body')};
  proxy_temp_path ${temp('proxy')};
  fastcgi_temp_path ${temp('fastcgi')};
  uwsgi_temp_path ${temp('uwsgi')};
  scgi_temp_path ${temp('scgi')};
  keepalive_requests 1000000;
  upstream simulator {
    server 127.0.0.1:${upstreamPort};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://simulator;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

/** Starts nginx on `cpu` in front of `upstreamPort` and waits until it accepts connections. */
export async function startNginx(group: ChildGroup, binary: string, upstreamPort: number, cpu: string): Promise<NginxProxy> {
  const dir = path.join(group.tempDir, `nginx-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const confFile = path.join(dir, 'nginx.conf');
  writeFileSync(confFile, config(dir, port, upstreamPort));
  const child = group.spawn(binary, ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', confFile, '-g', 'daemon off;'], cpu, 'nginx');
  const master = child.pid ?? -1;
  const errorLog = () => (existsSync(path.join(dir, 'error.log')) ? readFileSync(path.join(dir, 'error.log'), 'utf8').trim() : '');
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nginx did not start: ${errorLog() || `exit code ${child.exitCode}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const pids = () => [master, ...childPids(master)];
  // A worker outlives a killed master: if the runner dies, kill them all.
  const killTree = () => {
    for (const pid of pids().reverse()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killTree);
  return {
    port,
    pids,
    cpuSeconds: () => pids().reduce((sum, pid) => sum + processCpuSeconds(pid), 0),
    rssMb: () => pids().reduce((sum, pid) => sum + processRssMb(pid), 0),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // SIGQUIT is nginx's graceful shutdown; after 10 s, SIGKILL to the master and its workers.
      child.kill('SIGQUIT');
      const kill = setTimeout(killTree, 10_000);
      await exited;
      clearTimeout(kill);
      process.off('exit', killTree);
    },
  };
}
