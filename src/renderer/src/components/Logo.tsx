import type { ReactNode } from 'react'

/** The app's mark: a loop with a pulse through it (same drawing as resources/icon.svg). */
export function Logo({ size = 36 }: { size?: number }): ReactNode {
  return (
    <svg width={size} height={size} viewBox="0 0 512 512" aria-hidden="true">
      <rect x="16" y="16" width="480" height="480" rx="108" fill="#111418" />
      <circle
        cx="256"
        cy="256"
        r="150"
        fill="none"
        stroke="#56B4E9"
        strokeWidth="44"
        strokeDasharray="790 152"
        transform="rotate(-60 256 256)"
        strokeLinecap="round"
      />
      <polygon points="372,118 430,200 330,206" fill="#56B4E9" />
      <polyline
        points="60,270 170,270 205,200 250,340 290,160 325,270 452,270"
        fill="none"
        stroke="#E69F00"
        strokeWidth="34"
        strokeLinejoin="round"
        strokeLinecap="round"
      />
    </svg>
  )
}
