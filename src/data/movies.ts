export interface Movie {
  movieId: number;
  title: string;
  /** The release year MovieLens puts in the title, e.g. "Toy Story (1995)". */
  year: number | null;
  genres: string[];
}

export function yearFromTitle(title: string): number | null {
  const match = /\((\d{4})(?:[-–]\d{0,4})?\)\s*$/.exec(title);
  return match ? Number(match[1]) : null;
}

export function moviesById(movies: readonly Movie[]): Map<number, Movie> {
  return new Map(movies.map((movie) => [movie.movieId, movie]));
}
