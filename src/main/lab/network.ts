/** The addresses by which other machines on this network reach a shared subject. */
import { networkInterfaces } from 'node:os'

export function lanUrls(port: number, path = '/live'): string[] {
  const urls: string[] = []
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.internal || a.family !== 'IPv4') continue
      urls.push(`http://${a.address}:${port}${path}`)
    }
  }
  return urls
}
