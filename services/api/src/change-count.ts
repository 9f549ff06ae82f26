/**
 * How many times something read on the hot path has changed: a reader that saw the same count
 * before saw the same state. A class of one field, so every count has the same shape and a
 * reader holding one pays a field load to check it. (A `get version()` on a factory's object
 * literal puts that object in V8's dictionary mode: every property read on it is then a hash
 * lookup, paid on each cached feed request.)
 */
export class ChangeCount {
  value = 0;

  bump(): void {
    this.value += 1;
  }
}
