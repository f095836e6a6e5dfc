/**
 * Okabe–Ito colours (safe for the common colour-vision deficiencies), one set per theme, and distinct line styles
 * so no series is told apart by colour alone: theory is always dashed, max dotted, the rest solid.
 */
export interface Palette {
  fg: string
  muted: string
  grid: string
  bg: string
  blue: string
  orange: string
  vermillion: string
  green: string
  purple: string
  sky: string
  yellow: string
  mark: string
}

export const LIGHT: Palette = {
  fg: '#111418',
  muted: '#4a5563',
  grid: '#d6dbe1',
  bg: '#ffffff',
  blue: '#0072B2',
  orange: '#E69F00',
  vermillion: '#D55E00',
  green: '#009E73',
  purple: '#CC79A7',
  sky: '#56B4E9',
  yellow: '#B8A800',
  mark: '#4a5563'
}

export const DARK: Palette = {
  fg: '#f2f4f7',
  muted: '#b4bcc8',
  grid: '#39414c',
  bg: '#171b21',
  blue: '#56B4E9',
  orange: '#E69F00',
  vermillion: '#FF7A2E',
  green: '#2DC79A',
  purple: '#CC79A7',
  sky: '#56B4E9',
  yellow: '#F0E442',
  mark: '#c9d1db'
}

export const DASH = { theory: '10 6', max: '2 5', mark: '6 4' } as const
export const STROKE = { main: 3.5, secondary: 2.5 } as const
