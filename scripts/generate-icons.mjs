#!/usr/bin/env node
// Renders the icon sources in assets/src (SVG) into what the packagers and the tray need:
//   assets/icon.png (1024), assets/icons/<size>x<size>.png (Linux hicolor sizes), assets/icon.icns,
//   assets/icon.ico, and assets/tray/<state>.png + @2x, <state>Template.png + @2x (macOS menu bar).
// resvg renders SVG exactly and needs no browser; png2icons packs ICNS and ICO in plain JS.
// Run: npm run icons (the outputs are committed, so packaging never needs to run it).
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const assets = join(dirname(dirname(fileURLToPath(import.meta.url))), 'assets');
const source = (name) => readFileSync(join(assets, 'src', name), 'utf8');
const render = (svg, size) => new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();

function write(path, bytes) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

const icon = source('icon.svg');
const master = render(icon, 1024);
write(join(assets, 'icon.png'), master);
for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) write(join(assets, 'icons', `${size}x${size}.png`), render(icon, size));
write(join(assets, 'icon.icns'), png2icons.createICNS(master, png2icons.BICUBIC, 0));
write(join(assets, 'icon.ico'), png2icons.createICO(master, png2icons.BICUBIC, 0, false, true));

// Tray icons are 16 pt: 16 px and 32 px (@2x) for each state; Electron picks @2x on HiDPI.
for (const file of readdirSync(join(assets, 'src')).filter((name) => name.startsWith('tray-'))) {
  const svg = source(file);
  const base = file.replace(/^tray-/, '').replace(/\.svg$/, '');
  write(join(assets, 'tray', `${base}.png`), render(svg, 16));
  write(join(assets, 'tray', `${base}@2x.png`), render(svg, 32));
}
console.log(`icons written under ${assets}`);
