"""The page in Korean, keyed by its English text (see ``playground.i18n``).

Terms as in the book's Korean edition (밑바닥부터 시작하는 딥러닝 2): 에폭 (epoch), 반복 (iteration, one step),
손실 (loss), 학습률 (learning rate), 배치 크기 (batch size), 은닉층 (hidden layer), 정확도 (accuracy), 가중치
(weights), 기울기 (gradient), 훈련 데이터 / 시험 데이터 (training / test data). Names of methods and formats
(SGD, Adam, ReLU, float32, CSV) stay as they are written in code. The placeholders of each text must be the
same in both languages; the tests check that, and that every text the page uses is here.
"""

KO = {
    # --- pages, navigation, language
    "Spiral playground": "스파이럴 플레이그라운드",
    "### Spiral playground": "### 스파이럴 플레이그라운드",
    "Playground": "플레이그라운드",
    "Chapter 1 lab": "1장 실습",
    "Language": "언어",
    # --- sidebar: data
    "Data": "데이터",
    "Data set": "데이터셋",
    "The book's spiral is the chapter's data: 300 points in 3 arms.": "책의 스파이럴은 1장의 데이터입니다: 3개의 "
    "나선 팔에 점 300개.",
    "Spiral (the book's)": "스파이럴 (책의 데이터)",
    "Spiral, k arms": "스파이럴, k개의 팔",
    "Circle": "원",
    "XOR": "XOR",
    "Gaussian clusters": "가우스 군집",
    "Moons": "초승달",
    "Upload CSV": "CSV 업로드",
    "CSV with columns x1, x2, label": "x1, x2, label 열이 있는 CSV",
    "A header row is optional; labels are whole numbers from 0.": "머리글 행은 없어도 됩니다. 레이블은 0부터 "
    "시작하는 정수입니다.",
    "Your points · {percent} % train": "내 데이터 · 훈련 {percent} %",
    "{classes} classes · {points} each · {percent} % train": "클래스 {classes}개 · 각 {points}개 · 훈련 {percent} %",
    "{classes} × {points} · noise {noise:.2f} · {percent} % train": "{classes} × {points} · 잡음 {noise:.2f} · "
    "훈련 {percent} %",
    "Classes": "클래스 수",
    "Spiral arms, rings or clusters.": "나선 팔, 고리 또는 군집의 수.",
    "Points per class": "클래스당 점 개수",
    "How many points each class has.": "클래스마다 점이 몇 개인지.",
    "Noise": "잡음",
    "Spiral: jitter of the angle. Others: jitter of the coordinates.": "스파이럴: 각도의 흔들림. 그 밖의 데이터: "
    "좌표의 흔들림.",
    "Training data (%)": "훈련 데이터 (%)",
    "The rest is test data: the model never trains on it.": "나머지는 시험 데이터입니다: 모델은 이 데이터로 "
    "학습하지 않습니다.",
    "Seed": "시드",
    "One seed fixes the data, the split, the initial weights and the shuffling.": "시드 하나가 데이터, 분할, "
    "초기 가중치, 뒤섞기 순서를 모두 정합니다.",
    "New data": "새 데이터",
    "Draw new data: the next seed.": "새 데이터를 뽑습니다: 다음 시드.",
    "Input features": "입력 특성",
    "What the first layer sees; x1² or x1·x2 make some shapes linear.": "첫 번째 층이 보는 값입니다. x1²나 "
    "x1·x2를 쓰면 어떤 모양은 선형으로 나뉩니다.",
    # --- sidebar: network
    "Network": "신경망",
    "Hidden layers": "은닉층 수",
    "0 is a linear softmax classifier.": "0이면 선형 소프트맥스 분류기입니다.",
    "Neurons in each hidden layer": "은닉층마다의 뉴런 수",
    "Neurons in hidden layer {layer}.": "은닉층 {layer}의 뉴런 수.",
    "Activation": "활성화 함수",
    "Sigmoid is the book's. Linear layers stack into one linear map.": "책에서는 시그모이드를 씁니다. 선형 층은 "
    "여러 개를 쌓아도 하나의 선형 변환이 됩니다.",
    "Sigmoid": "시그모이드",
    "Tanh": "tanh",
    "ReLU": "ReLU",
    "Leaky ReLU": "Leaky ReLU",
    "Linear": "선형 (항등)",
    "Activation per layer": "층마다 활성화 함수",
    "Choose the activation of each hidden layer.": "은닉층마다 활성화 함수를 고릅니다.",
    "Act. {layer}": "활성화 {layer}",
    "The activation of hidden layer {layer}.": "은닉층 {layer}의 활성화 함수.",
    "Weight init and regularization.": "가중치 초깃값과 정규화.",
    "no regularization": "정규화 없음",
    "Weight init": "가중치 초깃값",
    "The spread of the initial weights; Xavier suits sigmoid and tanh, He suits ReLU.": "초기 가중치의 퍼짐 "
    "정도입니다. Xavier는 시그모이드와 tanh에, He는 ReLU에 알맞습니다.",
    "0.01·randn (the book's)": "0.01·randn (책의 방식)",
    "Xavier / He (by activation)": "Xavier / He (활성화 함수에 따라)",
    "Xavier": "Xavier",
    "He": "He",
    "Regularization": "정규화",
    "none": "없음",
    "L1": "L1",
    "L2": "L2",
    "L2 shrinks weights, L1 pushes them to zero.": "L2는 가중치를 줄이고, L1은 가중치를 0으로 밉니다.",
    "Rate": "세기",
    "Strength of the penalty.": "벌칙의 세기.",
    # --- sidebar: training
    "Training": "학습",
    "Optimizer": "옵티마이저",
    "Changing it keeps the weights and starts a fresh optimizer state.": "바꾸어도 가중치는 그대로이고, "
    "옵티마이저의 상태만 새로 시작합니다.",
    "Learning rate": "학습률",
    "Log scale. Takes effect at once, even while playing.": "로그 눈금입니다. 학습 중에도 바로 적용됩니다.",
    "Batch size": "배치 크기",
    "Points per step; the book uses 30. Takes effect at once.": "반복 한 번에 쓰는 점의 수입니다. 책에서는 "
    "30을 씁니다. 바로 적용됩니다.",
    "Optimizer settings": "옵티마이저 설정",
    "Momentum": "모멘텀",
    "Momentum and Nesterov: how much of the last step carries on.": "Momentum과 Nesterov: 직전 이동이 얼마나 "
    "이어지는지.",
    "Decay rate": "감쇠율",
    "RMSprop: how fast old squared gradients are forgotten.": "RMSprop: 지난 기울기 제곱을 얼마나 빨리 잊는지.",
    "β1": "β1",
    "Adam: decay of the mean gradient.": "Adam: 기울기 평균의 감쇠.",
    "β2": "β2",
    "Adam: decay of the mean squared gradient.": "Adam: 기울기 제곱 평균의 감쇠.",
    "Schedule, precision, stop": "스케줄, 정밀도, 멈춤",
    "Rate schedule": "학습률 스케줄",
    "Lower the learning rate as training goes on: big steps early, fine ones later.": "학습이 진행될수록 "
    "학습률을 낮춥니다: 처음에는 크게, 나중에는 작게 움직입니다.",
    "Constant": "일정",
    "Halve every N epochs": "N 에폭마다 절반으로",
    "Cosine to 0 over N epochs": "N 에폭에 걸쳐 코사인으로 0까지",
    "N epochs": "N 에폭",
    "Step: the rate halves every N epochs. Cosine: it falls to 0 over N epochs.": "단계: 학습률이 N 에폭마다 "
    "절반이 됩니다. 코사인: N 에폭에 걸쳐 0까지 내려갑니다.",
    "Precision": "정밀도",
    "float32 trains faster on a CPU; the run restarts from the seed in the new precision. Compare both under "
    "Look inside.": "CPU에서는 float32가 더 빠르게 학습합니다. 바꾸면 새 정밀도로 시드에서부터 다시 시작합니다. "
    "'속 들여다보기'에서 둘을 비교해 보세요.",
    "float64": "float64",
    "float32": "float32",
    "float32 on the GPU (CuPy)": "GPU의 float32 (CuPy)",
    "Stop at epoch": "멈출 에폭",
    "Pause when training reaches this epoch; 0: never. Play goes on past it.": "학습이 이 에폭에 이르면 "
    "멈춥니다. 0: 멈추지 않음. 재생하면 그 너머로 계속합니다.",
    "Stop at loss": "멈출 손실",
    "Pause when the training loss falls to this; 0: never.": "훈련 손실이 이 값까지 내려가면 멈춥니다. 0: 멈추지 않음.",
    "Speed (steps/s)": "속도 (반복/초)",
    "max": "최대",
    "A cap on training steps per second, to watch learning in slow motion.": "초당 학습 반복 수의 상한입니다. "
    "학습을 느린 화면으로 볼 수 있습니다.",
    "Run": "실행",
    ":material/play_arrow: Play": ":material/play_arrow: 재생",
    ":material/pause: Pause": ":material/pause: 일시 정지",
    "Train continuously; every change applies to the running training.": "계속 학습합니다. 바꾼 설정은 진행 "
    "중인 학습에 바로 적용됩니다.",
    "Step": "한 에폭",
    "Train one epoch, then pause.": "한 에폭을 학습하고 멈춥니다.",
    "Reset": "초기화",
    "Back to the initial weights of this seed.": "이 시드의 초기 가중치로 돌아갑니다.",
    # --- export and import
    "Export and import": "내보내기와 불러오기",
    "Weights, history, settings, a Python script.": "가중치, 학습 기록, 설정, 파이썬 스크립트.",
    "Weights (.npz)": "가중치 (.npz)",
    "The weights at the moment you click, in nnlib's .npz format.": "누르는 순간의 가중치, nnlib의 .npz 형식.",
    "Weights in float16: half the size": "가중치를 float16으로: 절반 크기",
    "The same weights in half the space, as the book keeps them (1.5.1): each rounded to float16, read back in "
    "the model's own precision.": "같은 가중치를 절반 크기로, 책이 저장하는 방식대로(1.5.1): 각 값을 float16으로 "
    "반올림하고, 읽을 때는 모델의 정밀도로 되돌립니다.",
    "These weights are beyond float16's range (±65,504): the float16 file is not offered.": "가중치가 float16의 "
    "범위(±65,504)를 넘어 float16 파일은 내려받을 수 없습니다.",
    "History (.csv)": "학습 기록 (.csv)",
    "Loss and accuracy per epoch.": "에폭마다의 손실과 정확도.",
    "Settings (.json)": "설정 (.json)",
    "Every setting of this page.": "이 페이지의 모든 설정.",
    "Data (.csv)": "데이터 (.csv)",
    "Every point (training and test) as x1, x2, label: the CSV upload reads it back.": "모든 점 (훈련과 시험)을 "
    "x1, x2, label로: CSV 업로드로 다시 읽을 수 있습니다.",
    "No Python script for this run: it started from a weights file, not from a seed.": "이 학습의 파이썬 "
    "스크립트는 없습니다: 시드가 아니라 가중치 파일에서 시작했기 때문입니다.",
    "Python script (.py)": "파이썬 스크립트 (.py)",
    "A script using nnlib that repeats this run step for step and prints its final loss.": "nnlib으로 이 학습을 "
    "반복 하나하나 그대로 되풀이하고 마지막 손실을 출력하는 스크립트.",
    "The weights in a notebook:": "노트북에서 가중치 쓰기:",
    "Continue from weights (.npz)": "가중치에서 이어서 학습 (.npz)",
    "A file downloaded here; the page switches to its architecture.": "여기서 내려받은 파일. 페이지가 그 파일의 "
    "구조로 바뀝니다.",
    # --- main area
    "View": "보기",
    ":material/radio_button_unchecked: Test points": ":material/radio_button_unchecked: 시험 데이터",
    ":material/square: Hard regions": ":material/square: 단색 영역",
    ":material/show_chart: Log-scale loss": ":material/show_chart: 손실 로그 눈금",
    ":material/hub: Network": ":material/hub: 신경망",
    "Test points: hollow circles the model never trains on. Hard regions: the predicted class without shading. "
    "Network: its links and each neuron's map, below the charts.": "시험 데이터: 모델이 학습하지 않는 속이 빈 "
    "원. 단색 영역: 예측한 클래스를 음영 없이. 신경망: 연결과 뉴런마다의 지도, 차트 아래에.",
    ":material/push_pin: Pin this run": ":material/push_pin: 비교용으로 저장",
    "Keep this run's settings, curves and weights to compare with the next (up to {limit}).": "이 학습의 설정, "
    "곡선, 가중치를 보관해 다음 학습과 비교합니다 (최대 {limit}개).",
    "**Epoch {epoch:,}** · step {step:,} · loss train {train_loss:.3f} / test {test_loss:.3f} · accuracy train "
    "{train_accuracy:.1%} / test {test_accuracy:.1%} · lr {lr:g} · batch {batch} · {speed:,.0f} steps/s": "**에폭 "
    "{epoch:,}** · 반복 {step:,} · 손실 훈련 {train_loss:.3f} / 시험 {test_loss:.3f} · 정확도 훈련 "
    "{train_accuracy:.1%} / 시험 {test_accuracy:.1%} · 학습률 {lr:g} · 배치 {batch} · 초당 {speed:,.0f} 반복",
    "Choose at least one input feature; the network keeps its current ones until then.": "입력 특성을 하나 이상 "
    "고르세요. 그때까지 신경망은 지금의 특성을 씁니다.",
    "Upload a CSV with columns x1, x2, label to train on your own points; the current points stay until then.": ""
    "x1, x2, label 열이 있는 CSV를 올리면 내 데이터로 학습합니다. 그때까지 지금의 점이 그대로 있습니다.",
    "{count} pinned run(s): pause to compare them.": "비교용으로 저장한 학습 {count}개: 멈추면 비교할 수 있습니다.",
    # --- charts
    "epoch · {train}, {test}": "에폭 · {train}, {test}",
    "train": "훈련",
    "test": "시험",
    "loss (solid)": "손실 (실선)",
    "accuracy (dotted)": "정확도 (점선)",
    "epoch": "에폭",
    "epochs": "에폭",
    "steps": "반복",
    "loss": "손실",
    "train loss": "훈련 손실",
    "test loss": "시험 손실",
    "train accuracy": "훈련 정확도",
    "test accuracy": "시험 정확도",
    "training loss (solid)": "훈련 손실 (실선)",
    "training accuracy (dotted)": "훈련 정확도 (점선)",
    # --- the network
    "the network": "신경망",
    "layer {layer} · neuron {neuron}": "은닉층 {layer} · 뉴런 {neuron}",
    "+{count} more": "+{count}개 더",
    "class {label}: {p}": "클래스 {label}: {p}",
    "epoch {epoch} · step {step}": "에폭 {epoch} · 반복 {step}",
    "loss train {train} / test {test}": "손실 훈련 {train} / 시험 {test}",
    "accuracy train {train} / test {test}": "정확도 훈련 {train} / 시험 {test}",
    "weight {value}": "가중치 {value}",
    "bias {value}": "편향 {value}",
    "click to show it large": "클릭하면 크게 보여 줍니다",
    "from {low} (orange) to {high} (blue)": "{low} (주황)부터 {high} (파랑)까지",
    "input {feature}": "입력 {feature}",
    "class {label}": "클래스 {label}",
    "A linear model has no hidden neurons: its regions are cut by straight lines.": "선형 모델에는 은닉 뉴런이 "
    "없습니다: 영역이 직선으로 나뉩니다.",
    "Links: blue positive, orange negative weights, thicker when larger. Each neuron's picture: its output over "
    "the input plane, blue high, orange low.": "연결: 파란색은 양의 가중치, 주황색은 음의 가중치, 클수록 "
    "굵습니다. 뉴런마다의 그림: 입력 평면 위의 출력값, 파란색이 높고 주황색이 낮습니다.",
    "Neuron shown large": "크게 볼 뉴런",
    "Its output over the input plane, with values.": "입력 평면 위의 출력값, 수치와 함께.",
    # --- your data
    "Your data: click to add points, or edit them in a table": "내 데이터: 클릭해서 점을 더하거나 표에서 고치기",
    "The first {shown:,} of {count:,} points. To change them, download them as CSV under Export and import, edit "
    "the file and upload it.": "점 {count:,}개 가운데 처음 {shown:,}개입니다. 고치려면 내보내기와 불러오기에서 CSV로 "
    "내려받아 파일을 고친 뒤 올리세요.",
    "Click the regions chart to add a point of class": "영역 차트를 클릭해 더할 점의 클래스",
    "{label} (new)": "{label} (새 클래스)",
    "Each click adds a point where it falls and trains afresh on the points: they become your data set. Choose "
    "the class again to stop adding.": "클릭할 때마다 그 자리에 점을 더하고 그 점들로 새로 학습합니다: 그 점들이 "
    "내 데이터셋이 됩니다. 같은 클래스를 다시 누르면 그만 더합니다.",
    "Or change a cell, add a row at the bottom, or select rows and delete them; labels are whole numbers from 0. "
    "Then train on the table: it becomes the uploaded data set.": "또는 칸을 고치거나, 맨 아래에 행을 더하거나, "
    "행을 골라 지우세요. 레이블은 0부터 시작하는 정수입니다. 그런 다음 표로 학습하면 표가 업로드한 데이터셋이 "
    "됩니다.",
    "Train on these points": "이 점들로 학습",
    "Fresh weights from the seed, on the points in the table.": "시드에서 새로 만든 가중치로, 표의 점들을 학습합니다.",
    # --- look inside
    "Look inside: confusion matrices, gradient check, precision": "속 들여다보기: 혼동 행렬, 기울기 확인, 정밀도",
    "**Training points**": "**훈련 데이터**",
    "**Test points**": "**시험 데이터**",
    "true class {label}": "정답 클래스 {label}",
    "Confusion matrices: a row for each true class, a column for each class predicted; the diagonal counts the "
    "points classified right.": "혼동 행렬: 행은 정답 클래스, 열은 예측한 클래스입니다. 대각선은 맞게 분류한 점의 "
    "개수입니다.",
    "**Gradient check**": "**기울기 확인**",
    "Compare with numerical gradients": "수치 미분과 비교",
    "Backpropagation against central differences on 20 training points.": "훈련 데이터 20개에서 오차역전파법과 "
    "중심 차분을 비교합니다.",
    "worst relative error": "최대 상대 오차",
    "verdict": "판정",
    "agrees": "일치",
    "check": "확인 필요",
    "**Precision**": "**정밀도**",
    "Time each precision": "정밀도별 속도 재기",
    "Trains a copy of this network in each for 0.2 s; the run is untouched.": "이 신경망의 복사본을 각 정밀도로 "
    "0.2초씩 학습합니다. 지금의 학습은 그대로입니다.",
    "steps/s": "초당 반복",
    # --- pinned runs
    "#### Pinned runs ({count} of {limit})": "#### 비교용으로 저장한 학습 ({count} / {limit})",
    "run": "학습",
    "run {number}": "학습 {number}",
    "This run's weights as they were when pinned.": "저장한 순간의 이 학습의 가중치.",
    "Unpin": "목록에서 빼기",
    # --- notices and errors
    "Not pinned: {reason}.": "저장하지 않았습니다: {reason}.",
    "{count} runs are pinned already: unpin one to pin this one": "이미 {count}개를 저장했습니다: 하나를 "
    "목록에서 빼야 이 학습을 저장할 수 있습니다",
    "That CSV was not loaded, and the current points stay: {reason}": "그 CSV는 불러오지 않았고, 지금의 점이 "
    "그대로 있습니다: {reason}",
    "Loaded {count} points in {classes} classes.": "클래스 {classes}개의 점 {count}개를 불러왔습니다.",
    "Those points were not used, and the current ones stay: {reason}": "그 점들은 쓰지 않았고, 지금의 점이 "
    "그대로 있습니다: {reason}",
    "Training on your {count} points in {classes} classes.": "클래스 {classes}개의 내 점 {count}개로 학습합니다.",
    "Those weights were not loaded, and the current model stays: {reason}": "그 가중치는 불러오지 않았고, 지금의 "
    "모델이 그대로 있습니다: {reason}",
    "{name} no longer fits, and the current model stays: {reason}": "{name}은(는) 이제 맞지 않아, 지금의 모델이 "
    "그대로 있습니다: {reason}",
    "this network uses both L1 and L2 regularization; the page offers one at a time": "이 신경망은 L1과 L2 정규화를 "
    "함께 씁니다. 이 페이지에서는 한 번에 하나만 쓸 수 있습니다",
    "its regularization rate {rate:g} is outside the page's range, {low:g} to {high:g}": "정규화 강도 {rate:g}이(가) "
    "페이지의 범위 ({low:g}부터 {high:g}까지)를 벗어납니다",
    "its weights are too large to train: their loss on the current points is {loss:.3g}": "가중치가 너무 커서 학습할 "
    "수 없습니다: 지금의 점에 대한 손실이 {loss:.3g}입니다",
    "Loaded the weights of {name}; training continues from them.": "{name}의 가중치를 불러왔습니다. 학습은 그 "
    "가중치에서 이어집니다.",
    "{name} holds a network of another shape, {architecture}. Switch to it? The current run is replaced (pin it "
    "first to keep it).": "{name}에는 모양이 다른 신경망 {architecture}이(가) 들어 있습니다. 이 신경망으로 "
    "바꿀까요? 지금의 학습은 바뀝니다 (남기려면 먼저 비교용으로 저장하세요).",
    "Switch to it": "이 신경망으로 바꾸기",
    "To add a point where you click, choose its class first, under “Your data” below the charts.": "클릭한 곳에 점을 "
    "더하려면, 먼저 차트 아래 “내 데이터”에서 점의 클래스를 고르세요.",
    "Keep the current network": "지금의 신경망 유지",
    "Added a point of class {label} at ({x1:.2f}, {x2:.2f}): {count} points, trained afresh.": "({x1:.2f}, "
    "{x2:.2f})에 클래스 {label}의 점을 더했습니다: 점 {count}개로 새로 학습합니다.",
    "Training diverged at step {step} ({why}): paused, with the weights of step {kept} put back. Lower the "
    "learning rate and press Reset.": "학습이 반복 {step}에서 발산했습니다 ({why}): 멈추고 반복 {kept}의 가중치로 "
    "되돌렸습니다. 학습률을 낮추고 초기화를 누르세요.",
    "the loss is no longer a finite number": "손실이 더 이상 유한한 수가 아닙니다",
    "the loss grew to {loss:,.0f}, over {times} times where it started": "손실이 {loss:,.0f}까지 커졌습니다. 처음의 "
    "{times}배가 넘습니다",
    "No Python script for this run: it diverged, and the page put back earlier weights, which a script would not "
    "do.": "이 학습의 파이썬 스크립트는 없습니다: 발산해서 페이지가 이전 가중치로 되돌렸는데, 스크립트는 그렇게 하지 "
    "않기 때문입니다.",
    "Reached epoch {epoch:,}, the epoch to stop at: paused.": "멈출 에폭인 에폭 {epoch:,}에 이르러 멈췄습니다.",
    "The training loss reached {loss:.4f} (target {target:g}) at epoch {epoch:,}: paused.": "에폭 {epoch:,}에서 "
    "훈련 손실이 {loss:.4f}에 이르러 (목표 {target:g}) 멈췄습니다.",
    "this network takes {inputs} inputs and gives {outputs} classes; the current data has {features} input "
    "features and {classes} classes": "이 신경망은 입력 {inputs}개를 받아 클래스 {outputs}개를 내지만, 지금의 "
    "데이터는 입력 특성 {features}개에 클래스 {classes}개입니다",
    "this network uses {unknown} in a hidden layer, which the page does not offer": "이 신경망은 은닉층에 "
    "{unknown}을(를) 쓰는데, 이 페이지에는 없는 활성화 함수입니다",
    "the page shows up to {layers} hidden layers of up to {width} neurons": "이 페이지는 뉴런 {width}개 이하의 "
    "은닉층을 {layers}개까지 보여 줍니다",
    # --- link parameters
    "Link parameter {key}={text!r} is not {expected}; using {default!r}.": "링크 매개변수 {key}={text!r}은(는) "
    "쓸 수 없는 값입니다 (허용: {expected}). {default!r}을(를) 씁니다.",
    "one of {options}": "{options} 중 하나",
    "Something went wrong on the server, and the page could not do that. Your run and settings are kept; try "
    "again, or press Reset.": "서버에서 문제가 생겨 그 작업을 하지 못했습니다. 학습과 설정은 그대로 있습니다. "
    "다시 해 보거나 초기화를 누르세요.",
    "one of {options} (0: as fast as the server can)": "{options} 중 하나 (0: 서버가 할 수 있는 만큼 빠르게)",
    "a whole number from {low} to {high}": "{low}부터 {high}까지의 정수",
    "a number from {low:g} to {high:g}": "{low:g}부터 {high:g}까지의 수",
    "a comma-separated list of {options}": "{options}을(를) 쉼표로 나열한 목록",
    "up to {layers} comma-separated widths from 1 to {width}": "1부터 {width}까지의 너비를 쉼표로 {layers}개까지",
    "up to {layers} comma-separated activations, one per hidden layer": "은닉층마다 하나씩, 쉼표로 나열한 "
    "활성화 함수 {layers}개까지",
    "a whole number from 1 to the training-set size": "1부터 훈련 데이터 크기까지의 정수",
    "Link parameter acts names {count} activations for {layers} hidden layers; using {activation} in every "
    "layer.": "링크 매개변수 acts에 은닉층 {layers}개에 대해 활성화 함수가 {count}개 있습니다. 모든 층에 "
    "{activation}을(를) 씁니다.",
    "This server has no GPU with CuPy; training in float32 on the CPU instead.": "이 서버에는 CuPy를 쓸 수 있는 "
    "GPU가 없습니다. 대신 CPU에서 float32로 학습합니다.",
    "Uploaded data cannot travel in a link; showing the book's spiral instead.": "업로드한 데이터는 링크에 담을 "
    "수 없습니다. 대신 책의 스파이럴을 보여 줍니다.",
    "The batch size {batch_size} is larger than the {points} training points; using {fallback}.": "배치 크기 "
    "{batch_size}이(가) 훈련 데이터 {points}개보다 큽니다. {fallback}을(를) 씁니다.",
    # --- the chapter 1 lab
    "### Chapter 1 lab": "### 1장 실습",
    "The steps of the book's chapter 1, each computed by nnlib as you change it.": "책 1장의 단계들을, 값을 바꿀 "
    "때마다 nnlib이 계산합니다.",
    "The nnlib code of this step": "이 단계의 nnlib 코드",
    "1 · The shape of a matrix product": "1 · 행렬 곱의 형상",
    "`np.dot(x, W)` needs x's columns to equal W's rows; the product then has x's rows and W's columns.": ""
    "`np.dot(x, W)`는 x의 열 수와 W의 행 수가 같아야 합니다. 그러면 곱은 x의 행 수와 W의 열 수를 갖습니다.",
    "rows of x": "x의 행 수",
    "columns of x": "x의 열 수",
    "rows of W": "W의 행 수",
    "columns of W": "W의 열 수",
    "np.dot refuses: {reason}": "np.dot이 거부합니다: {reason}",
    "x · W has shape {shape}": "x · W의 형상은 {shape}입니다",
    "2 · Broadcasting": "2 · 브로드캐스트",
    "Adding a bias `b` of shape (H,) to `x` of shape (N, H) adds it to every row: NumPy acts as if `b` were "
    "repeated N times.": "형상이 (H,)인 편향 `b`를 형상이 (N, H)인 `x`에 더하면 모든 행에 더해집니다: NumPy는 "
    "`b`가 N번 반복된 것처럼 계산합니다.",
    "3 · Forward: Affine → Sigmoid → Affine": "3 · 순전파: Affine → Sigmoid → Affine",
    "A mini-batch of points becomes hidden activations, then one score per class and point.": "점의 미니배치가 "
    "은닉층의 활성화 값이 되고, 다시 점과 클래스마다 점수 하나가 됩니다.",
    "batch size": "배치 크기",
    "hidden neurons": "은닉 뉴런 수",
    "4 · Backward through Repeat, Sum and MatMul": "4 · Repeat, Sum, MatMul 노드의 역전파",
    "Each node's `backward` against the numerical gradient (central differences): they agree to about 1e-10.": ""
    "노드마다의 `backward`를 수치 미분 (중심 차분)과 비교합니다: 약 1e-10까지 일치합니다.",
    "5 · The gradient of Softmax with Loss": "5 · Softmax with Loss의 기울기",
    "Softmax and cross-entropy together: the gradient is just (y − t) / N.": "소프트맥스와 교차 엔트로피를 함께 "
    "쓰면 기울기는 그저 (y − t) / N입니다.",
    "`(y − t) / N` (backward)": "`(y − t) / N` (역전파)",
    "numerical": "수치 미분",
    "loss {loss:.4f} · worst relative error {error:.1e}": "손실 {loss:.4f} · 최대 상대 오차 {error:.1e}",
    "6 · One SGD step": "6 · SGD 한 번",
    "`W ← W − lr · dL/dW` on the book's TwoLayerNet and 30 spiral points.": "책의 TwoLayerNet과 스파이럴 점 "
    "30개에서 `W ← W − lr · dL/dW`.",
    "learning rate": "학습률",
    "loss before **{before:.4f}** → after **{after:.4f}**": "손실: 전 **{before:.4f}** → 후 **{after:.4f}**",
    "7 · The classic mistake: Softmax as a hidden activation": "7 · 흔한 실수: 은닉층의 활성화 함수로 쓴 소프트맥스",
    "Its outputs sum to 1, so ten neurons start out all near 0.1 and pass the next layer almost nothing to tell "
    "the points apart: the loss sits at ln 3 ≈ 1.10 for some thirty epochs. The same net with Sigmoid, same seed, "
    "leaves that plateau in less than half the time.": "출력의 합이 1이라서 뉴런 10개가 모두 0.1 근처에서 "
    "시작하고, 다음 층에 점들을 구별할 정보를 거의 넘기지 못합니다: 손실이 30 에폭 가까이 ln 3 ≈ 1.10에 "
    "머뭅니다. 같은 시드의 같은 신경망도 시그모이드를 쓰면 그 절반도 안 되는 시간에 이 구간을 벗어납니다.",
    "seed": "시드",
    "hidden {name}": "은닉층 {name}",
    "Loss above 1.05 for **{softmax} epochs** with Softmax, **{sigmoid}** with Sigmoid.": "손실이 1.05보다 큰 "
    "기간: 소프트맥스 **{softmax} 에폭**, 시그모이드 **{sigmoid} 에폭**.",
}
