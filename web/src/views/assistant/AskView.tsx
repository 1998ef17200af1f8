// Ask: the assistant (docs/assistant.md). A question about a portfolio goes to one of the user's
// LLM providers with keel's use cases as tools; the answer streams in (server-sent events read with
// fetch, so the bearer token travels in a header), each figure marked with the tool call that
// produced it, and every call's arguments and output one click away. A change the assistant
// proposes (saving a what-if book) waits for the user's Confirm. Past conversations are listed;
// the conversation open lives in the URL (/ask/:id).
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, seg, serverEvents, type Schemas } from '../../api/client';
import type { PortfolioPage } from '../../api/types';
import { navigate } from '../../app/router';
import { useSession } from '../../app/session';
import { Empty, ErrorBox, Loading } from '../../components/States';
import './assistant.css';

type Answer = Schemas['AssistantAnswer'];
type Citation = Schemas['AssistantCitation'];
type ToolCall = Schemas['AssistantToolCall'];
type Conversation = Schemas['AssistantConversation'];
type ConversationList = Schemas['AssistantConversationList'];
type ProviderList = Schemas['AssistantProviderList'];
type Confirmation = Schemas['AssistantConfirmation'];

interface Live {
  question: string;
  text: string;
  calls: { call: string; tool: string; status?: string; error?: string | null }[];
  answer: Answer | null;
}

// POST /api/v1/assistant/messages as a stream: `on` gets each event. Throws ApiError for a refusal
// before the stream (404 provider, 403 policy, 400 question) and for an "error" event.
async function askStream(body: Record<string, unknown>, on: (event: string, data: Record<string, unknown>) => void, signal: AbortSignal) {
  for await (const { event, data } of serverEvents('POST', '/api/v1/assistant/messages', body, signal)) {
    const parsed = JSON.parse(data) as Record<string, unknown>;
    if (event === 'error') {
      const e = parsed.error as { code: string; message: string; details: string[]; request_id: string };
      throw new ApiError(500, e.code, e.message, e.details ?? [], e.request_id ?? '');
    }
    on(event, parsed);
  }
}

// The answer with its figures marked and its [Tn] markers as links to the calls.
function AnswerText({ text, citations }: { text: string; citations: Citation[] }) {
  const parts: ReactNode[] = [];
  const figures = citations.map((c) => c.figure);
  // Split on markers and on cited figures, left to right.
  const pattern = new RegExp(
    [String.raw`\[(T\d+(?:,\s*T\d+)*)\]`, ...figures.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))].join('|'),
    'g',
  );
  let last = 0;
  let m: RegExpExecArray | null;
  let i = 0;
  while ((m = pattern.exec(text))) {
    if (m.index > last) parts.push(text.slice(last, m.index));
    if (m[1]) {
      const calls = m[1].split(/,\s*/);
      parts.push(
        <sup key={i++}>
          [{calls.map((c, k) => (
            <span key={c}>
              {k > 0 && ', '}
              <a href={`#call-${c}`} className="cite" onClick={(e) => { e.preventDefault(); const d = document.getElementById(`call-${c}`) as HTMLDetailsElement | null; if (d) { d.open = true; d.scrollIntoView({ block: 'nearest' }); } }}>{c}</a>
            </span>
          ))}]
        </sup>,
      );
    } else {
      const c = citations.find((x) => x.figure === m![0]);
      parts.push(
        <mark key={i++} className={c?.cited ? 'figure' : 'figure other'} data-call={c?.call} data-path={c?.path} title={c ? `${c.call} ${c.tool} ${c.path}` : ''}>
          {m[0]}
        </mark>,
      );
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return <p className="answer" data-testid="answer">{parts}</p>;
}

function CallDetails({ call, conversation, onDone }: { call: ToolCall; conversation: number; onDone: () => void }) {
  const { t } = useSession();
  const confirm = useMutation({
    mutationFn: (approve: boolean) => api<Confirmation>('POST', `/api/v1/assistant/conversations/${conversation}/calls/${seg(call.call)}/confirm`, { body: { approve } }),
    onSuccess: onDone,
  });
  return (
    <details id={`call-${call.call}`} className="call" data-status={call.status}>
      <summary>
        <strong>{call.call}</strong> {call.tool} <span className={`status status-${call.status}`}>{call.status}</span>
        {call.error && call.status !== 'ok' && <span className="muted"> — {call.error}</span>}
      </summary>
      <div className="call-body">
        <div className="small muted">{t('ask.arguments')}</div>
        <pre tabIndex={0}>{JSON.stringify(call.arguments, null, 2)}</pre>
        {call.output != null && (
          <>
            <div className="small muted">{t('ask.output')}</div>
            <pre tabIndex={0} className="output">{JSON.stringify(call.output, null, 2)}</pre>
          </>
        )}
        {call.status === 'pending' && (
          <div className="inline">
            <button type="button" className="primary" disabled={confirm.isPending} onClick={() => confirm.mutate(true)}>{t('ask.confirm')}</button>
            <button type="button" disabled={confirm.isPending} onClick={() => confirm.mutate(false)}>{t('ask.decline')}</button>
          </div>
        )}
        <ErrorBox error={confirm.error} />
      </div>
    </details>
  );
}

function Usage({ a, fmt }: { a: Answer; fmt: ReturnType<typeof useSession>['fmt'] }) {
  const { t } = useSession();
  return (
    <p className="small muted" data-testid="usage">
      {t('ask.modelAt', { provider: a.provider, model: a.model, host: a.host })}{a.redacted ? t('ask.redacted') : ''} · {t('ask.tokens', { in: fmt.num(a.usage.input_tokens, 0), out: fmt.num(a.usage.output_tokens, 0) })}
      {a.usage.estimated ? t('ask.estimated') : ''} · ${(a.usage.cost_usd ?? 0).toFixed(4)}
    </p>
  );
}

// A past conversation: its questions, answers and calls.
function Transcript({ id, onChanged }: { id: number; onChanged: () => void }) {
  const { t } = useSession();
  const convo = useQuery({ queryKey: ['conversation', id], queryFn: () => api<Conversation>('GET', `/api/v1/assistant/conversations/${id}`) });
  if (convo.isLoading) return <Loading what={t('ask.loading.conversation')} />;
  if (convo.error) return <ErrorBox error={convo.error} />;
  const c = convo.data!;
  const out: ReactNode[] = [];
  for (const m of c.messages) {
    if (m.role === 'user') out.push(<p key={m.ordinal} className="question">{m.content}</p>);
    else if (m.role === 'assistant' && m.tool_calls && (m.tool_calls as unknown[]).length === 0) {
      const extra = m.extra as { citations?: Citation[] };
      out.push(<AnswerText key={m.ordinal} text={m.content} citations={extra.citations ?? []} />);
    } else if (m.role === 'tool') {
      const extra = m.extra as { arguments?: Record<string, unknown> };
      let output: unknown = null;
      if (m.status === 'ok' || m.status === 'confirmed') {
        try {
          output = JSON.parse(m.content);
        } catch {
          output = m.content;
        }
      }
      const call = { call: m.call ?? '', tool: m.tool ?? '', arguments: extra.arguments ?? {}, status: m.status, error: m.status === 'ok' ? null : m.content, output } as ToolCall;
      out.push(<CallDetails key={m.ordinal} call={call} conversation={id} onDone={() => { void convo.refetch(); onChanged(); }} />);
    }
  }
  return (
    <div className="transcript" data-testid="transcript">
      {out}
      <p className="small muted" data-testid="usage">
        {t('ask.exchanges', { count: c.exchanges.length, providers: Array.from(new Set(c.exchanges.map((e) => t('ask.modelAt', { provider: e.provider, model: e.model, host: e.host })))).join(', ') || t('ask.noProvider') })}
        {c.exchanges.some((e) => e.redacted) ? t('ask.redacted') : ''} · {t('ask.tokens', { in: c.conversation.input_tokens, out: c.conversation.output_tokens })} ·
        ${(c.conversation.cost_usd ?? 0).toFixed(4)}
      </p>
    </div>
  );
}

export function AskView({ conversation }: { conversation?: number }) {
  const { fmt, t, rich } = useSession();
  const qc = useQueryClient();
  const [question, setQuestion] = useState('');
  const [portfolio, setPortfolio] = useState('');
  const [provider, setProvider] = useState('');
  const [redact, setRedact] = useState<'' | 'on' | 'off'>('');
  const [live, setLive] = useState<Live | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  const providers = useQuery({ queryKey: ['assistant-providers'], queryFn: () => api<ProviderList>('GET', '/api/v1/assistant/providers') });
  const portfolios = useQuery({ queryKey: ['portfolios'], queryFn: () => api<PortfolioPage>('GET', '/api/v1/portfolios?limit=500') });
  const list = useQuery({ queryKey: ['conversations'], queryFn: () => api<ConversationList>('GET', '/api/v1/assistant/conversations?limit=50') });
  const chosen = useMemo(() => providers.data?.items.find((p) => p.name === provider) ?? providers.data?.items.find((p) => p.default), [providers.data, provider]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!question.trim()) return;
    abort.current?.abort();
    const ac = new AbortController();
    abort.current = ac;
    setBusy(true);
    setError(null);
    const state: Live = { question, text: '', calls: [], answer: null };
    setLive({ ...state });
    const body: Record<string, unknown> = { question };
    if (portfolio) body.portfolio = portfolio;
    if (provider) body.provider = provider;
    if (redact) body.redact = redact === 'on';
    if (conversation) body.conversation = conversation;
    try {
      await askStream(body, (event, d) => {
        if (event === 'text') state.text += String(d.delta ?? '');
        else if (event === 'tool_call') state.calls.push({ call: String(d.call), tool: String(d.tool) });
        else if (event === 'tool_result') {
          const c = state.calls.find((x) => x.call === d.call);
          if (c) {
            c.status = String(d.status);
            c.error = (d.error as string | undefined) ?? null;
          }
        } else if (event === 'answer') state.answer = d as unknown as Answer;
        setLive({ ...state, calls: [...state.calls] });
      }, ac.signal);
      setQuestion('');
      void qc.invalidateQueries({ queryKey: ['conversations'] });
      if (state.answer && state.answer.conversation !== conversation) navigate(`/ask/${state.answer.conversation}`, true);
      else if (conversation) void qc.invalidateQueries({ queryKey: ['conversation', conversation] });
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'AbortError')) setError(err);
    } finally {
      setBusy(false);
    }
  };

  const answer = live?.answer;
  return (
    <section className="ask">
      <aside aria-label={t('ask.conversations')} className="conversations">
        <h2>{t('ask.conversations')}</h2>
        <button type="button" onClick={() => { setLive(null); navigate('/ask'); }}>{t('ask.new')}</button>
        {list.isLoading && <Loading what={t('ask.loading.conversations')} />}
        <ErrorBox error={list.error} />
        <ul>
          {list.data?.items.map((c) => (
            <li key={c.id}>
              <a href={`/ask/${c.id}`} aria-current={c.id === conversation ? 'page' : undefined} onClick={(e) => { e.preventDefault(); setLive(null); navigate(`/ask/${c.id}`); }}>
                {c.title || `#${c.id}`}
              </a>
            </li>
          ))}
        </ul>
      </aside>
      <div className="thread">
        <h1>{t('nav.ask')}</h1>
        <p className="muted small">{t('ask.intro')}</p>
        {providers.data && providers.data.items.length === 0 && (
          <Empty>{rich('ask.noProviders', { command: <code>keel assistant provider add</code> })}</Empty>
        )}
        {conversation && <Transcript key={conversation} id={conversation} onChanged={() => void qc.invalidateQueries({ queryKey: ['conversations'] })} />}
        {live && (!answer || answer.conversation !== conversation || !conversation) && (
          <div className="live" aria-live="polite" aria-busy={busy}>
            <p className="question">{live.question}</p>
            {live.calls.length > 0 && (
              <ul className="calls" aria-label={t('ask.toolCalls')}>
                {live.calls.map((c) => (
                  <li key={c.call} data-status={c.status ?? 'running'}>
                    <strong>{c.call}</strong> {c.tool} <span className={`status status-${c.status ?? 'running'}`}>{c.status ?? t('ask.running')}</span>
                    {c.error && <span className="muted"> — {c.error}</span>}
                  </li>
                ))}
              </ul>
            )}
            {answer ? (
              <>
                <AnswerText text={answer.answer} citations={answer.citations} />
                {answer.unverified.length > 0 && (
                  <p className="warning small" data-testid="unverified">
                    {t('ask.unverified', { figures: answer.unverified.map((u) => u.figure).join(', ') })}
                  </p>
                )}
                {answer.tool_calls.map((c) => (
                  <CallDetails key={c.call} call={c} conversation={answer.conversation} onDone={() => void qc.invalidateQueries({ queryKey: ['conversation', answer.conversation] })} />
                ))}
                <Usage a={answer} fmt={fmt} />
              </>
            ) : (
              <p className="answer streaming">{live.text}</p>
            )}
          </div>
        )}
        <ErrorBox error={error} />
        <form onSubmit={submit} className="askform" aria-label={t('ask.form')}>
          <label htmlFor="ask-question">{t('ask.question')}</label>
          <textarea id="ask-question" rows={3} value={question} onChange={(e) => setQuestion(e.target.value)} placeholder={t('ask.placeholder')} />
          <div className="inline">
            <label>
              {t('field.portfolio')}{' '}
              <select value={portfolio} onChange={(e) => setPortfolio(e.target.value)}>
                <option value="">{t('ask.noPortfolio')}</option>
                {portfolios.data?.items.map((p) => <option key={p.id}>{p.name}</option>)}
              </select>
            </label>
            <label>
              {t('ask.provider')}{' '}
              <select value={provider} onChange={(e) => setProvider(e.target.value)}>
                <option value="">{chosen ? t('ask.defaultNamed', { name: chosen.name }) : t('ask.default')}</option>
                {providers.data?.items.map((p) => <option key={p.name} value={p.name} disabled={!p.allowed}>{p.name} · {p.model}{p.local ? t('ask.local') : ''}</option>)}
              </select>
            </label>
            <label>
              {t('ask.redaction')}{' '}
              <select value={redact} onChange={(e) => setRedact(e.target.value as '' | 'on' | 'off')}>
                <option value="">{t('ask.policy')}</option>
                <option value="on">{t('ask.redactOn')}</option>
                <option value="off">{t('ask.redactOff')}</option>
              </select>
            </label>
            <button type="submit" className="primary" disabled={busy || !question.trim()}>{busy ? t('ask.asking') : t('nav.ask')}</button>
            {busy && <button type="button" onClick={() => abort.current?.abort()}>{t('ask.stop')}</button>}
          </div>
        </form>
      </div>
    </section>
  );
}
