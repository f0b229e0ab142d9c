/**
 * The browser side of the IDE: starts GraphiQL (from its UMD build, with React from node_modules)
 * and adds a log-in panel. Served as a file of its own so the page's Content-Security-Policy can
 * forbid inline script. Plain ES2019 in a string: the service has no front-end build step.
 */
export const IDE_SCRIPT = String.raw`(function () {
  'use strict';
  var h = React.createElement;
  var endpoint = new URL('/graphql', window.location.href).toString();
  var socketEndpoint = endpoint.replace(/^http/, 'ws');
  var httpFetcher = GraphiQL.createFetcher({ url: endpoint });
  var STORAGE_KEY = 'hubnet-ide:token';

  // One graphql-ws client per Authorization value: the headers editor is the single place the
  // token lives, for queries and subscriptions alike.
  var sockets = {};
  function socketFor(authorization) {
    var key = authorization || '';
    if (!sockets[key]) {
      sockets[key] = graphqlWs.createClient({
        url: socketEndpoint,
        connectionParams: authorization ? { authorization: authorization } : {},
        lazy: true,
        retryAttempts: 5,
      });
    }
    return sockets[key];
  }

  function isSubscription(documentAST, operationName) {
    if (!documentAST) return false;
    var ops = documentAST.definitions.filter(function (d) { return d.kind === 'OperationDefinition'; });
    var op = operationName ? ops.find(function (d) { return d.name && d.name.value === operationName; }) : ops.length === 1 ? ops[0] : null;
    return !!op && op.operation === 'subscription';
  }

  function fetcher(params, opts) {
    if (opts && isSubscription(opts.documentAST, params.operationName)) {
      var headers = (opts && opts.headers) || {};
      return socketFor(headers.Authorization || headers.authorization).iterate(params);
    }
    return httpFetcher(params, opts);
  }

  function headersFor(token) {
    return token ? JSON.stringify({ Authorization: 'Bearer ' + token }, null, 2) : '';
  }

  var LOGIN = 'mutation IdeLogin($input: LoginInput!) { login(input: $input) { token user { name } userErrors { code message } } }';

  function LoginPanel(props) {
    var emailState = React.useState('');
    var passwordState = React.useState('');
    var busyState = React.useState(false);
    function submit(event) {
      event.preventDefault();
      busyState[1](true);
      props.onNotice('');
      fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: JSON.stringify({ query: LOGIN, variables: { input: { email: emailState[0], password: passwordState[0] } } }),
      })
        .then(function (res) { return res.json(); })
        .then(function (body) {
          var login = body.data && body.data.login;
          if (login && login.token) {
            props.onToken(login.token, 'Logged in as ' + login.user.name + '. The token is in the Headers tab.');
          } else {
            var problem = (login && login.userErrors[0]) || (body.errors && body.errors[0]) || { message: 'Could not log in.' };
            props.onNotice(problem.message);
          }
        })
        .catch(function () { props.onNotice('The service did not answer.'); })
        .finally(function () { busyState[1](false); });
    }
    return h('form', { className: 'hubnet-login', onSubmit: submit },
      h('div', { className: 'graphiql-doc-explorer-title' }, 'Log in'),
      h('p', null, 'Your bearer token then goes with every request, as Authorization: Bearer … in the Headers tab (subscriptions too).'),
      h('label', null, 'Email', h('input', { type: 'email', autoComplete: 'username', value: emailState[0], onChange: function (e) { emailState[1](e.target.value); }, required: true })),
      h('label', null, 'Password', h('input', { type: 'password', autoComplete: 'current-password', value: passwordState[0], onChange: function (e) { passwordState[1](e.target.value); }, required: true })),
      h('div', { className: 'hubnet-login-actions' },
        h('button', { type: 'submit', disabled: busyState[0] }, busyState[0] ? 'Logging in…' : 'Log in'),
        props.token ? h('button', { type: 'button', onClick: function () { props.onToken(null, 'Logged out.'); } }, 'Log out') : null),
      props.notice ? h('p', { role: 'status' }, props.notice) : null);
  }

  function KeyIcon() {
    return h('svg', { viewBox: '0 0 24 24', width: 20, height: 20, fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, 'aria-hidden': 'true' },
      h('circle', { cx: 8, cy: 15, r: 4 }),
      h('path', { d: 'M11 12l8-8m-3 3l2 2m-4 0l1.5 1.5' }));
  }

  var DEFAULT_QUERY = [
    '# Hubnet GraphQL IDE: everything on this page is served by Hubnet itself.',
    '#',
    '# Log in with the key button on the left (or paste {"Authorization": "Bearer <token>"}',
    '# into the Headers tab below), then run this with the play button or Ctrl-Enter.',
    '# The schema and its descriptions are in the book button on the left.',
    '',
    'query Me {',
    '  me {',
    '    name',
    '    role',
    '    hubOf { name }',
    '  }',
    '}',
    '',
  ].join('\n');

  function App() {
    var tokenState = React.useState(function () { return window.sessionStorage.getItem(STORAGE_KEY); });
    var noticeState = React.useState(function () { return tokenState[0] ? 'A token is in the Headers tab.' : ''; });
    var generationState = React.useState(0);
    // The panel reads the latest state through this ref: GraphiQL keeps the plugin object it got.
    var current = React.useRef(null);
    current.current = { token: tokenState[0], notice: noticeState[0], onToken: onToken, onNotice: noticeState[1] };
    var plugin = React.useMemo(function () {
      return {
        title: 'Log in',
        icon: KeyIcon,
        content: function () { return h(LoginPanel, current.current); },
      };
    }, []);
    function onToken(token, notice) {
      if (token) window.sessionStorage.setItem(STORAGE_KEY, token);
      else window.sessionStorage.removeItem(STORAGE_KEY);
      tokenState[1](token);
      noticeState[1](notice);
      // The headers editor takes its text when it mounts: remount with the new token, panel open.
      generationState[1](function (n) { return n + 1; });
    }
    return h(GraphiQL, {
      key: generationState[0],
      fetcher: fetcher,
      defaultQuery: DEFAULT_QUERY,
      headers: headersFor(tokenState[0]),
      plugins: [plugin],
      visiblePlugin: generationState[0] > 0 ? plugin : undefined,
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: 'headers',
      shouldPersistHeaders: false,
    });
  }

  ReactDOM.createRoot(document.getElementById('graphiql')).render(h(App));
})();
`;

export const IDE_STYLE = `html, body, #graphiql { height: 100%; margin: 0; }
.hubnet-login { display: flex; flex-direction: column; gap: 12px; padding: 4px 0; font-size: 14px; }
.hubnet-login label { display: flex; flex-direction: column; gap: 4px; }
.hubnet-login input { font: inherit; padding: 6px 8px; border: 1px solid hsla(var(--color-neutral), var(--alpha-background-heavy)); border-radius: 4px; background: hsl(var(--color-base)); color: inherit; }
.hubnet-login-actions { display: flex; gap: 8px; }
.hubnet-login button { font: inherit; padding: 6px 12px; border-radius: 4px; border: 0; cursor: pointer; background: hsl(var(--color-primary)); color: hsl(var(--color-base)); }
.hubnet-login button[type=button] { background: hsla(var(--color-neutral), var(--alpha-background-medium)); color: inherit; }
`;
