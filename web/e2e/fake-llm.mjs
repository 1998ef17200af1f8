// A loopback LLM provider for the end-to-end tests: an HTTP server speaking the OpenAI
// chat-completions streaming format (server-sent chat.completion.chunk events, tool calls with their
// arguments in fragments, a usage chunk, [DONE]). It plays a model that answers from keel's
// tools: with no tool result yet it asks for risk_var on the portfolio the system prompt names;
// with a result it answers with the VaR and ES of that result, each cited [T1]; a denied call is
// said in words. startFakeLlm(port) resolves when it listens.
import { createServer } from 'node:http';

const chunk = (delta, finish = null) =>
  'data: ' + JSON.stringify({ id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created: 1, model: 'fake-gpt', choices: [{ index: 0, delta, finish_reason: finish }] }) + '\n\n';

const en = (x) => new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Math.abs(x));

function answer(body) {
  const messages = body.messages ?? [];
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const portfolio = /portfolio named "([^"]+)"/.exec(system)?.[1] ?? 'hnw';
  const tool = messages.filter((m) => m.role === 'tool').at(-1);
  const out = [chunk({ role: 'assistant', content: '' })];
  if (!tool) {
    const args = JSON.stringify({ portfolio, method: 'historical', confidence: 0.99 });
    out.push(chunk({ tool_calls: [{ index: 0, id: 'call_e2e_1', type: 'function', function: { name: 'risk_var', arguments: '' } }] }));
    for (let i = 0; i < args.length; i += 9) out.push(chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(i, i + 9) } }] }));
    out.push(chunk({}, 'tool_calls'));
  } else {
    const result = JSON.parse(tool.content);
    let text;
    if (result.status && result.status !== 'ok') {
      text = `I may not compute that for you: ${result.message}`;
    } else {
      const m = result.result.results[0];
      text = `The 1-day 99% historical VaR of ${portfolio} is ${en(m.var)} [${result.call}] and its expected shortfall ${en(m.es)} [${result.call}].`;
    }
    for (const piece of text.match(/.{1,12}/gs)) out.push(chunk({ content: piece }));
    out.push(chunk({}, 'stop'));
  }
  out.push('data: ' + JSON.stringify({ id: 'chatcmpl-e2e', object: 'chat.completion.chunk', created: 1, model: 'fake-gpt', choices: [], usage: { prompt_tokens: 1000, completion_tokens: 50, total_tokens: 1050 } }) + '\n\n');
  out.push('data: [DONE]\n\n');
  return out;
}

export function startFakeLlm(port) {
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error' } }));
      return;
    }
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      for (const c of answer(JSON.parse(raw))) res.write(c);
      res.end();
    });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
