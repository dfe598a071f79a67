/** Which table of a model: the users' or the movies'. */
export type Side = "user" | "movie";
