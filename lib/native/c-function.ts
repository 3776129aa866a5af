/** A C function bound through koffi (`koffi.load(lib).func(signature)`): every native binding here (libDF, libespeak-ng) holds these. */
import type koffi from 'koffi';

export type CFunction = ReturnType<ReturnType<typeof koffi.load>['func']>;
