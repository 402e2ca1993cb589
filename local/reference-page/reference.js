// The operator API's reference page: swagger-ui over /api/openapi.json. That document, like every
// /api route, needs the bearer token: the console's token of this tab when signed in there, else
// asked for once per tab. "Try it out" sends the same token.
const TOKEN_KEY = 'openim-hooks.token';

let token = sessionStorage.getItem(TOKEN_KEY);
if (!token) {
  token = window.prompt('Operator API token (the API_TOKEN npm start prints)') ?? '';
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
}

window.SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#api',
  requestInterceptor: (request) => {
    request.headers.Authorization = `Bearer ${token}`;
    return request;
  },
});
