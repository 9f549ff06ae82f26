/**
 * Error messages in the languages editors and partners read. The code never changes; the
 * message follows Accept-Language where a translation exists, and stays English otherwise.
 * `{{detail}}` carries the specific English detail (a field, a state) when there is one.
 */
export const ERROR_MESSAGES: Record<string, Record<string, string>> = {
  en: {
    unauthorized: "This route needs a valid token: Authorization: Bearer <token>.",
    forbidden: "Your token does not allow this.",
    not_found: "Not found.",
    invalid_request: "The request is not valid: {{detail}}",
    invalid_json: "The request body is not valid JSON.",
    payload_too_large: "The request body is too large.",
    illegal_transition: "The translation cannot make that move now: {{detail}}",
    stale_version: "Someone changed this translation since you read it: {{detail}}",
    precondition_required: "Send If-Match with the version you read.",
    source_exists: "This source already exists.",
    unknown_segment: "No such segment: {{detail}}",
    internal_error: "Something went wrong on our side.",
  },
  es: {
    unauthorized: "Esta ruta necesita un token válido: Authorization: Bearer <token>.",
    forbidden: "Su token no permite esta operación.",
    not_found: "No encontrado.",
    invalid_request: "La solicitud no es válida: {{detail}}",
    invalid_json: "El cuerpo de la solicitud no es JSON válido.",
    payload_too_large: "El cuerpo de la solicitud es demasiado grande.",
    illegal_transition: "La traducción no puede pasar a ese estado ahora: {{detail}}",
    stale_version: "Alguien modificó esta traducción después de que usted la leyera: {{detail}}",
    precondition_required: "Envíe If-Match con la versión que leyó.",
    source_exists: "Esta fuente ya existe.",
    unknown_segment: "No existe ese segmento: {{detail}}",
    internal_error: "Algo falló de nuestro lado.",
  },
  uk: {
    unauthorized: "Цей маршрут потребує дійсного токена: Authorization: Bearer <token>.",
    forbidden: "Ваш токен цього не дозволяє.",
    not_found: "Не знайдено.",
    invalid_request: "Запит недійсний: {{detail}}",
    invalid_json: "Тіло запиту не є дійсним JSON.",
    payload_too_large: "Тіло запиту завелике.",
    illegal_transition: "Переклад зараз не може перейти в цей стан: {{detail}}",
    stale_version: "Хтось змінив цей переклад після того, як ви його прочитали: {{detail}}",
    precondition_required: "Надішліть If-Match з версією, яку ви прочитали.",
    source_exists: "Це джерело вже існує.",
    unknown_segment: "Такого сегмента немає: {{detail}}",
    internal_error: "Щось пішло не так на нашому боці.",
  },
};
