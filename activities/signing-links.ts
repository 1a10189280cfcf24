/** What links and reply addresses in emails are made from: the token key, the pages' origin, the reply domain. */
export interface TSigningLinks {
  /** The HMAC key of signing tokens. */
  secret: string;
  /** Where the signing pages are served, e.g. https://partners.district.example */
  publicUrl: string;
  /** The domain of reply addresses `sign+<token>@<replyDomain>`, served by the inbound listener (inbound/). */
  replyDomain: string;
}
