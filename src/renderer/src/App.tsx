/**
 * The dashboard: run bar, controls, KPI tiles, the end-of-run summary, and the live charts; the first screen; the
 * saved runs (a list, one run open in the dashboard in place of the live one, or 2–4 compared).
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { DEFAULT_SETTINGS, type SettingsPatch } from '../../shared/settings'
import { ChartsGrid } from './charts/ChartsGrid'
import { CompareView } from './compare/CompareView'
import { Banners } from './components/Banners'
import { Controls } from './components/Controls'
import { Kpis } from './components/Kpis'
import { ProcessStrip } from './components/ProcessStrip'
import { RunNotes, useStoreBackDismissal } from './components/RunNotes'
import { LessonPanel, type LessonActions, type LessonPlace } from './components/LessonPanel'
import { LessonSettingsNote } from './components/LessonSettingsNote'
import { Logo } from './components/Logo'
import { PresenterControls } from './components/PresenterControls'
import { Presets } from './components/Presets'
import { SharePanel } from './components/SharePanel'
import { ResetDefaults } from './components/ResetDefaults'
import { dashboardPng } from './components/RunsPng'
import { downloadBlob } from './components/RunsFiles'
import { RunsView } from './components/RunsView'
import { SavedRunBar } from './components/SavedRunBar'
import { StartScreen, StartToggle } from './components/StartScreen'
import { ShortcutsOverlay } from './components/ShortcutsOverlay'
import { SummaryPanel } from './components/SummaryPanel'
import { useLabClient } from './hooks/client-state'
import { useFrames } from './hooks/use-frames'
import { usePresenter } from './hooks/use-presenter'
import { useLessonRuns } from './hooks/use-lesson-runs'
import { useRun } from './hooks/use-run'
import { useRuns } from './hooks/use-runs'
import { useShortcuts } from './hooks/use-shortcuts'
import { useSwitch } from './hooks/use-switch'
import { keyHint } from './keys'
import { usePalette } from './hooks/use-theme'
import { theoryRps } from '../../shared/theory'
import { LESSONS } from './lessons'
import { PRESETS } from './presets'

type SideTab = 'settings' | 'lesson'
const SIDE_TABS: { id: SideTab; label: string; help: string }[] = [
  { id: 'settings', label: 'Settings', help: 'Presets and every setting of the subject and the crowd.' },
  { id: 'lesson', label: 'Lesson', help: 'A guided walk through the 2009 experiment, step by step, with checks.' }
]

/**
 * A lesson step runs fresh (stopping any run first) or changes the running experiment; a refusal shows as a banner.
 * The lesson's settings go back when its run ends (use-lesson-runs.ts).
 */
function lessonActionsFor(actions: ReturnType<typeof useLessonRuns>['actions']): LessonActions {
  return { run: actions.runStep, change: actions.changeStep }
}

/** Settings | Lesson, as tabs: arrow keys move between them, only the selected one is in the Tab order. */
function SideTabs({ side, onSide }: { side: SideTab; onSide(tab: SideTab): void }): ReactNode {
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>): void => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0
    if (step === 0) return
    e.preventDefault()
    const i = SIDE_TABS.findIndex((t) => t.id === side)
    const next = SIDE_TABS[(i + step + SIDE_TABS.length) % SIDE_TABS.length]!
    onSide(next.id)
    document.getElementById(`tab-${next.id}`)?.focus()
  }
  return (
    <div className="tabs" role="tablist" aria-label="Side panel" onKeyDown={onKeyDown}>
      {SIDE_TABS.map((t) => (
        <button
          key={t.id}
          type="button"
          role="tab"
          id={`tab-${t.id}`}
          data-testid={`tab-${t.id}`}
          aria-selected={side === t.id}
          aria-controls={`panel-${t.id}`}
          tabIndex={side === t.id ? 0 : -1}
          title={t.help}
          onClick={() => onSide(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  )
}

/** The preset after the focused one (the first if none is focused), focused: `p` walks through them. */
function focusNextPreset(): void {
  const buttons = [...document.querySelectorAll<HTMLButtonElement>('[data-testid^="preset-"]')]
  const at = buttons.findIndex((b) => b === document.activeElement)
  buttons[(at + 1) % buttons.length]?.focus()
}

/**
 * Where the subject listens, in the room the run bar leaves: "subject at http://…", or only "127.0.0.1:port", or,
 * with no room for that, nothing (styles.css, by its own width); the whole address is its tooltip.
 */
function SubjectUrl({ url }: { url: string }): ReactNode {
  return (
    <span
      className="muted subject-url"
      data-testid="subject-url"
      title={`The subject listens at ${url} (this machine only).`}
    >
      <span className="subject-url-long">subject at {url}</span>
      <span className="subject-url-short">{url.replace(/^https?:\/\//, '')}</span>
    </span>
  )
}

type View = 'start' | 'dashboard' | 'runs' | 'compare'

/** The dashboard's main area as a PNG download, as it is on screen now. */
async function savePng(name: string): Promise<void> {
  const main = document.querySelector<HTMLElement>('main.main')
  if (main) downloadBlob(await dashboardPng(main), `${name}.png`)
}

/** The top bar's way to the saved runs, and back to where the user was. */
function RunsToggle({ on, onToggle }: { on: boolean; onToggle(): void }): ReactNode {
  return (
    <button
      type="button"
      className="ghost"
      data-testid="show-runs"
      aria-pressed={on}
      title={`The saved runs: open, rename, export, import, compare.${keyHint('runs')}`}
      onClick={onToggle}
    >
      ▤ Runs
    </button>
  )
}

function RunBar(): ReactNode {
  const { state, actions } = useRun()
  const frames = useFrames()
  const running = state.status?.running ?? false
  const startRef = useRef<HTMLButtonElement>(null)
  const stopRef = useRef<HTMLButtonElement>(null)
  const wasBusy = useRef(state.busy)
  // Start and Stop disable themselves while busy, which drops focus to <body>: when a start or stop finishes, focus
  // goes to the one of the two that can be pressed now, unless the user has moved it elsewhere meanwhile
  useEffect(() => {
    const finished = wasBusy.current !== null && state.busy === null
    wasBusy.current = state.busy
    if (!finished) return
    const at = document.activeElement
    if (at !== null && at !== document.body && at !== startRef.current && at !== stopRef.current) return
    ;(running ? stopRef : startRef).current?.focus()
  }, [state.busy, running])
  return (
    <div className="runbar" role="toolbar" aria-label="Run">
      <button
        type="button"
        className="primary"
        data-testid="start"
        ref={startRef}
        disabled={running || state.busy !== null || !state.connected}
        title={`Start a run with the settings on the left.${keyHint('run')}`}
        onClick={() => void actions.start()}
      >
        ▶ Start
      </button>
      <button
        type="button"
        className="danger"
        data-testid="stop"
        ref={stopRef}
        disabled={!running || state.busy !== null}
        title={`End the run and show its summary.${keyHint('run')}`}
        onClick={() => void actions.stop()}
      >
        ■ Stop
      </button>
      <button
        type="button"
        data-testid="reset"
        title={`Clear the charts; the run goes on.${keyHint('reset')}`}
        onClick={frames.actions.reset}
      >
        {/* fewer words where the top bar is narrow (first-screen.css), so the run's pill is never overlapped */}↺{' '}
        <span className="label-long">Reset charts</span>
        <span className="label-short">Reset</span>
      </button>
      <span
        className={`pill${running ? ' pill-on' : ''}`}
        data-testid="run-state"
        data-running={running}
        role="status"
        title={running && state.status?.subjectUrl ? `The subject listens at ${state.status.subjectUrl}.` : undefined}
      >
        {state.busy === 'start' ? 'Starting…' : state.busy === 'stop' ? 'Stopping…' : running ? 'Running' : 'Idle'}
      </span>
      {running && state.status?.subjectUrl && state.status.sharedUrls.length === 0 && (
        <SubjectUrl url={state.status.subjectUrl} />
      )}
      {running && state.status?.settings.share && <SharePanel urls={state.status.sharedUrls} />}
    </div>
  )
}

export function App(): ReactNode {
  const client = useLabClient()
  const palette = usePalette()
  const run = useRun()
  const frames = useFrames()
  const lessonRuns = useLessonRuns()
  const runs = useRuns()
  const running = run.state.status?.running ?? false
  // the first screen (lessons and presets) until a run starts; then the tiles and charts, and back on request
  const [view, setView] = useState<View>('start')
  // where the Runs view goes back to
  const [beforeRuns, setBeforeRuns] = useState<View>('start')
  const toggleRuns = useCallback(() => {
    if (view === 'runs') setView(beforeRuns)
    else {
      setBeforeRuns(view === 'compare' ? 'dashboard' : view)
      setView('runs')
      void runs.actions.refresh()
    }
  }, [view, beforeRuns, runs.actions])
  // a run that starts brings the dashboard, unless the user is reading the saved runs
  useEffect(() => {
    if (running) setView((v) => (v === 'start' ? 'dashboard' : v))
  }, [running])
  const openSaved = runs.state.open
  // the dashboard shows the saved run open, else the live one (whose frames keep coming, in their own window)
  const shownFrames = openSaved ? openSaved.window : frames.state
  useStoreBackDismissal(frames.state.last, run.actions.dismissCode)
  const shownSummary = openSaved ? openSaved.summary : run.state.summary
  const comparing = view === 'compare' ? runs.state.comparing : null
  // the side panel: hidden on the first screen and shown beside a run, unless the user has said otherwise
  const [panelChoice, setPanelChoice] = useState<boolean | null>(null)
  const showControls = panelChoice ?? view === 'dashboard'
  const togglePanel = useCallback(() => setPanelChoice(!showControls), [showControls])
  const [side, setSide] = useState<SideTab>('settings')
  const [keysShown, setKeysShown] = useState(false)
  const presenter = usePresenter(client)
  // presenter mode shows the tiles and charts: never the first screen's cards
  useEffect(() => {
    if (presenter.on) setView('dashboard')
  }, [presenter.on])
  // kept here, so switching to Settings and back returns to the same lesson and step
  const [lessonAt, setLessonAt] = useState<LessonPlace>({ lesson: LESSONS[0]!.id, step: 0 })
  const settings = run.state.status?.settings ?? DEFAULT_SETTINGS
  const { update, broadcast, applyPreset, restartApp } = run.actions
  const onRestart = useCallback(() => void restartApp(), [restartApp])
  // a run on that started with the front door: hold and restart act on it
  const doorOpen = running && (frames.state.last?.hold ?? null) !== null
  const onChange = useCallback((patch: SettingsPatch) => void update(patch), [update])
  const onPreset = useCallback((patch: SettingsPatch, label: string) => void applyPreset(patch, label), [applyPreset])
  const lessonActions = useMemo(() => lessonActionsFor(lessonRuns.actions), [lessonRuns.actions])
  const onCardPreset = useCallback(
    (patch: SettingsPatch, label: string) => {
      setView('dashboard')
      void applyPreset(patch, label)
    },
    [applyPreset]
  )
  const openLesson = useCallback((lesson: string) => {
    setLessonAt({ lesson, step: 0 })
    setSide('lesson')
    setPanelChoice(true)
  }, [])
  const onCardLesson = useCallback(
    (lesson: string, stepOne: SettingsPatch, label: string) => {
      openLesson(lesson)
      setView('dashboard')
      void lessonRuns.actions.runStep(stepOne, label)
    },
    [openLesson, lessonRuns.actions]
  )
  // The tiles take theory from the host (the frame's, or the summary's); this is only for the tiles before a run,
  // for the settings on screen. LabStatus does not carry it, and the bound is one shared function of the settings
  // and the core count (threads with CPU work), so this is the same figure the first frame will bring.
  const toggleBlocking = useSwitch(
    settings.blocking,
    useCallback((blocking: boolean) => update({ blocking }), [update])
  )
  const toggleHold = useSwitch(
    settings.hold,
    useCallback((hold: boolean) => update({ hold }), [update])
  )
  useShortcuts({
    run: () => {
      const { busy, status, connected } = run.state
      if (busy !== null) return
      if (status?.running) void run.actions.stop()
      else if (connected) void run.actions.start()
    },
    blocking: toggleBlocking,
    hold: toggleHold,
    presets: () => {
      presenter.leave()
      setPanelChoice(true)
      setSide('settings')
      // after the panel and its tab have rendered
      requestAnimationFrame(focusNextPreset)
    },
    broadcast: () => {
      presenter.leave()
      setPanelChoice(true)
      setSide('settings')
      // after the panel and its tab have rendered
      requestAnimationFrame(() => document.getElementById('broadcast-text')?.focus())
    },
    reset: frames.actions.reset,
    settings: () => {
      // the panel is presenter mode's opposite: asking for it leaves the mode
      if (presenter.on) {
        presenter.leave()
        setPanelChoice(true)
      } else togglePanel()
    },
    fullscreen: presenter.toggleFullscreen,
    presenter: presenter.toggle,
    runs: () => {
      // the list is no place for presenter mode's large type: asking for it leaves the mode
      presenter.leave()
      toggleRuns()
    },
    shortcuts: () => setKeysShown((v) => !v),
    close: () => {
      if (keysShown) setKeysShown(false)
      else if (presenter.on) presenter.leave()
      else if (view === 'compare') setView('runs')
      else if (view === 'runs') setView(beforeRuns)
      else if (openSaved?.summaryShown) runs.actions.hideSummary()
      else if (run.state.summary) run.actions.closeSummary()
    }
  })
  // "Compare with the previous run", after a run has ended: its save, and a run saved before it, are needed
  const entries = runs.state.entries ?? []
  const comparePrevious = {
    ready: !runs.state.saving && entries.length >= 2,
    busy: runs.state.busy === 'compare',
    onCompare: () => void runs.actions.comparePrevious().then((ok) => ok && setView('compare'))
  }
  const settingsTheory = useMemo(() => theoryRps(settings, navigator.hardwareConcurrency || undefined), [settings])
  return (
    <div
      className={`app${showControls ? '' : ' app-wide'}${presenter.on ? ' app-presenter' : ''}`}
      data-testid="app"
      data-presenter={presenter.on}
      data-transport={client.transport}
    >
      <header className="topbar">
        <h1>
          <Logo /> Loopscope
        </h1>
        <RunBar />
        <PresenterControls on={presenter.on} blocking={settings.blocking} onToggle={presenter.toggle} />
        <button
          type="button"
          className="ghost"
          data-testid="toggle-settings"
          aria-pressed={!showControls}
          aria-controls="controls"
          title={`Hide or show the settings panel, to give the charts the whole screen.${keyHint('settings')}`}
          onClick={togglePanel}
        >
          {showControls ? '⇤ ' : '⇥ '}
          <span className="label-long">{showControls ? 'Hide settings' : 'Show settings'}</span>
          <span className="label-short">Settings</span>
        </button>
        {!presenter.on && <RunsToggle on={view === 'runs' || view === 'compare'} onToggle={toggleRuns} />}
        <StartToggle view={view === 'start' ? 'start' : 'dashboard'} onView={setView} />
        <button
          type="button"
          className="ghost"
          data-testid="show-keys"
          aria-pressed={keysShown}
          title={`The keys the dashboard answers to.${keyHint('shortcuts')}`}
          onClick={() => setKeysShown((v) => !v)}
        >
          ⌨ Keys
        </button>
      </header>
      {keysShown && <ShortcutsOverlay onClose={() => setKeysShown(false)} />}
      <Banners
        banners={run.state.banners}
        connected={run.state.connected}
        transport={client.transport}
        onDismiss={run.actions.dismiss}
        onRestart={() => void run.actions.restart()}
      />
      <div className="body">
        <aside id="controls" className="controls" hidden={!showControls} aria-label="Settings and lessons">
          <SideTabs side={side} onSide={setSide} />
          <div role="tabpanel" id="panel-settings" aria-labelledby="tab-settings" hidden={side !== 'settings'}>
            {side === 'settings' && (
              <>
                <ResetDefaults settings={settings} running={running} onReset={update} />
                <Presets running={running} onApply={onPreset} />
                <Controls
                  settings={settings}
                  errors={run.state.fieldErrors}
                  onChange={onChange}
                  onValid={run.actions.clearFieldError}
                  onBroadcast={broadcast}
                  hold={frames.state.last?.hold ?? null}
                  doorOpen={doorOpen}
                  onRestart={onRestart}
                />
              </>
            )}
          </div>
          <div role="tabpanel" id="panel-lesson" aria-labelledby="tab-lesson" hidden={side !== 'lesson'}>
            {side === 'lesson' && (
              <LessonPanel
                lessons={LESSONS}
                at={lessonAt}
                onGo={setLessonAt}
                actions={lessonActions}
                run={{
                  running: run.state.status?.running ?? false,
                  busy: run.state.busy !== null,
                  settings: run.state.status?.settings ?? null,
                  rows: frames.state.rows,
                  marks: frames.state.marks,
                  summary: run.state.summary
                }}
              />
            )}
          </div>
        </aside>
        <main className="main">
          {lessonRuns.state.restored && (
            <LessonSettingsNote
              fields={lessonRuns.state.restored.fields}
              onKeep={() => void lessonRuns.actions.keepLessonSettings()}
              onDismiss={lessonRuns.actions.dismiss}
            />
          )}
          {comparing ? (
            <CompareView runs={comparing} onClose={() => setView('runs')} />
          ) : view === 'runs' ? (
            <RunsView onOpened={() => setView('dashboard')} onCompare={() => setView('compare')} />
          ) : view === 'start' ? (
            <StartScreen
              lessons={LESSONS}
              presets={PRESETS}
              running={running}
              disabled={run.state.busy !== null || !run.state.connected}
              onPreset={onCardPreset}
              onLessonStart={onCardLesson}
              onLessonOpen={openLesson}
            />
          ) : (
            <>
              {openSaved && (
                <SavedRunBar
                  name={openSaved.name}
                  startedAt={openSaved.startedAt}
                  onBack={runs.actions.closeRun}
                  onRuns={toggleRuns}
                  onPng={() => void savePng(`loopscope-${openSaved.id}`)}
                />
              )}
              <Kpis
                frames={shownFrames}
                running={!openSaved && running}
                summary={shownSummary}
                settingsTheoryRps={settingsTheory}
              />
              <ProcessStrip frames={shownFrames} summary={shownSummary} />
              <RunNotes last={shownFrames.last} summary={shownSummary} />
              {shownSummary && (!openSaved || openSaved.summaryShown) && (
                <SummaryPanel
                  summary={shownSummary}
                  onClose={openSaved ? runs.actions.hideSummary : run.actions.closeSummary}
                  previous={openSaved ? null : comparePrevious}
                  onPng={() => void savePng(openSaved ? `loopscope-${openSaved.id}` : 'loopscope-dashboard')}
                />
              )}
              <ChartsGrid frames={shownFrames} palette={palette} presenter={presenter.on} />
            </>
          )}
        </main>
      </div>
    </div>
  )
}
