/**
 * The long-poll client: `GET /wait?since=last+1` (WAIT_PATH) on a keep-alive connection, answered at once if there is
 * news, else held until a message comes or the poll timeout passes ([]), then asked again — one request per message per
 * subscriber, the re-poll the push figures count. nodecast's page did exactly this.
 */
import { ResponseParser, type ParsedResponse } from './subscriber-http'
import { lastParsed, type ClientMaker, type PushClient } from './push-client'
import { WAIT_PATH, type Message } from '../../../shared/wire'

export function longPollClients(hostHeader: string, pollTimeoutMs: () => number): ClientMaker {
  const parseAnswer = lastParsed((body: string): Message[] => {
    const messages = JSON.parse(body) as Message[]
    if (!Array.isArray(messages)) throw new Error(`${WAIT_PATH} answered something other than an array`)
    return messages
  })
  return (sub, sink): PushClient => {
    const parser = new ResponseParser()
    let waiting = false
    const onResponse = (response: ParsedResponse, receivedAtMs: number): void => {
      if (response.status !== 200) throw new Error(`${WAIT_PATH} answered ${response.status}`)
      const messages = parseAnswer(response.body)
      sink.missed(sub, response.missed)
      if (messages.length === 0) sink.emptyAnswer(sub)
      else sink.deliver(sub, messages, receivedAtMs)
      waiting = false
      if (response.close) sub.socket?.end()
      else sink.again(sub)
    }
    return {
      ask() {
        waiting = true
        sink.write(sub, `GET ${WAIT_PATH}?since=${sink.resumeFrom(sub)} HTTP/1.1\r\nHost: ${hostHeader}\r\n\r\n`, true)
      },
      feed(chunk, receivedAtMs) {
        parser.feed(chunk, (response) => onResponse(response, receivedAtMs))
      },
      get busy() {
        return waiting || parser.midResponse
      },
      // a held poll is silent for up to the timeout: twice it plus a margin means the answer is lost
      get idleLimitMs() {
        return 2 * pollTimeoutMs() + 5_000
      }
    }
  }
}
