/** An action: something that happened, named `[Source] event`. */
export interface Action<Type extends string = string> {
  readonly type: Type;
}

export interface PayloadAction<Type extends string, Payload> extends Action<Type> {
  readonly payload: Payload;
}

export interface ActionCreator<Type extends string, Payload> {
  (...args: Payload extends void ? [] : [payload: Payload]): PayloadAction<Type, Payload>;
  readonly type: Type;
  /** Narrows an action to this creator's type. */
  match(action: Action): action is PayloadAction<Type, Payload>;
}

/** A type-only marker for the payload, so `defineAction('[X] y', payload<{ id: string }>())` reads naturally. */
export interface PayloadShape<Payload> {
  readonly __payload?: Payload;
}
export function payload<Payload>(): PayloadShape<Payload> {
  return {};
}

export function defineAction<Type extends string>(type: Type): ActionCreator<Type, void>;
export function defineAction<Type extends string, Payload>(type: Type, shape: PayloadShape<Payload>): ActionCreator<Type, Payload>;
export function defineAction<Type extends string, Payload>(type: Type, _shape?: PayloadShape<Payload>): ActionCreator<Type, Payload> {
  const create = (...args: unknown[]): PayloadAction<Type, Payload> => ({ type, payload: args[0] as Payload });
  return Object.assign(create, {
    type,
    match: (action: Action): action is PayloadAction<Type, Payload> => action.type === type,
  }) as unknown as ActionCreator<Type, Payload>;
}

/** The action type produced by a creator. */
export type ActionOf<Creator> = Creator extends ActionCreator<infer Type, infer Payload> ? PayloadAction<Type, Payload> : never;
