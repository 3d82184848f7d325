/** What an import could not carry over, or must tell the user, each at a field path of the source document. */
export interface ImportNote {
  path: string;
  message: string;
  /** Something of the source that the policy lacks, rather than a hint about what the policy needs. */
  dropped: boolean;
}

/** Collects notes under one document's path prefix (`[1].` in a file of several documents). */
export class ImportNotes {
  constructor(
    readonly list: ImportNote[] = [],
    private readonly prefix = '',
  ) {}

  drop(path: string, reason: string): void {
    this.list.push({ path: this.prefix + path, message: reason, dropped: true });
  }

  note(path: string, message: string): void {
    this.list.push({ path: this.prefix + path, message, dropped: false });
  }

  /** Every key of `raw` outside `known` is dropped with the same reason. */
  dropUnknown(raw: Record<string, unknown>, known: readonly string[], path: string, reason: string): void {
    for (const key of Object.keys(raw)) if (!known.includes(key)) this.drop(`${path}.${key}`, reason);
  }

  forDocument(index: number, of: number): ImportNotes {
    return new ImportNotes(this.list, of > 1 ? `[${index}].` : '');
  }
}

export const formatNote = (file: string, note: ImportNote) =>
  `${file}: ${note.path}: ${note.dropped ? 'not carried over' : 'note'}: ${note.message}`;
