// The network's own output, before the Recommender turns it back into stars. For a model trained
// on standardised ratings it is in standard deviations from the mean; lesson 3 applies the
// inverse transform by hand to show that predict() does exactly that.
import * as tf from "@tensorflow/tfjs";
import { Recommender } from "./recommender";

/** The rating output in the model's target units, (rating - shift) / scale, for a few (user, movie) pairs given as MovieLens ids. */
export function rawOutput(recommender: Recommender, userIds: ArrayLike<number>, movieIds: ArrayLike<number>): Float32Array {
  if (userIds.length !== movieIds.length) throw new Error(`rawOutput: ${userIds.length} users but ${movieIds.length} movies`);
  const { users, movies } = recommender.encoders;
  const out = tf.tidy(() => {
    const y = recommender.model.predict(recommender.inputs(users.encode(userIds), movies.encode(movieIds))) as tf.Tensor | tf.Tensor[];
    return (Array.isArray(y) ? y[recommender.spec.ratingOutput] : y).reshape([-1]);
  });
  const values = Float32Array.from(out.dataSync());
  out.dispose();
  return values;
}
